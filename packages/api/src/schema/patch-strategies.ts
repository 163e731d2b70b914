/**
 * Strategic-merge metadata of the lists clients patch most (from the `patchStrategy` and
 * `patchMergeKey` struct tags of k8s.io/api). client-node's model metadata does not carry
 * these tags; kubectl reads them from the OpenAPI document to build apply patches, and a
 * list missing here is simply treated as atomic (replaced whole).
 */
export interface PatchStrategy {
  strategy: string;
  mergeKey?: string;
}

const BY_NAME = { strategy: 'merge', mergeKey: 'name' };
const CONDITIONS = { strategy: 'merge', mergeKey: 'type' };

/** Keyed by "ModelName.jsonField". */
const STRATEGIES: Record<string, PatchStrategy> = {
  'V1ObjectMeta.finalizers': { strategy: 'merge' },
  'V1ObjectMeta.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
  'V1PodSpec.containers': BY_NAME,
  'V1PodSpec.initContainers': BY_NAME,
  'V1PodSpec.ephemeralContainers': BY_NAME,
  'V1PodSpec.volumes': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1PodSpec.imagePullSecrets': BY_NAME,
  'V1PodSpec.hostAliases': { strategy: 'merge', mergeKey: 'ip' },
  'V1PodSpec.topologySpreadConstraints': { strategy: 'merge', mergeKey: 'topologyKey' },
  'V1PodSpec.resourceClaims': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1PodSpec.schedulingGates': BY_NAME,
  'V1Container.ports': { strategy: 'merge', mergeKey: 'containerPort' },
  'V1Container.env': BY_NAME,
  'V1Container.volumeMounts': { strategy: 'merge', mergeKey: 'mountPath' },
  'V1Container.volumeDevices': { strategy: 'merge', mergeKey: 'devicePath' },
  'V1EphemeralContainer.ports': { strategy: 'merge', mergeKey: 'containerPort' },
  'V1EphemeralContainer.env': BY_NAME,
  'V1EphemeralContainer.volumeMounts': { strategy: 'merge', mergeKey: 'mountPath' },
  'V1ServiceSpec.ports': { strategy: 'merge', mergeKey: 'port' },
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': CONDITIONS,
  'V1ReplicaSetStatus.conditions': CONDITIONS,
  'V1StatefulSetStatus.conditions': CONDITIONS,
  'V1DaemonSetStatus.conditions': CONDITIONS,
  'V1JobStatus.conditions': { strategy: 'merge', mergeKey: 'type' },
  'V1PodStatus.conditions': CONDITIONS,
  'V1NodeStatus.conditions': CONDITIONS,
  'V1NodeStatus.addresses': CONDITIONS,
  'V1NamespaceStatus.conditions': CONDITIONS,
  'V1PersistentVolumeClaimStatus.conditions': CONDITIONS,
  'V1ServiceStatus.conditions': CONDITIONS,
};

export function patchStrategyOf(modelName: string, jsonField: string): PatchStrategy | undefined {
  return STRATEGIES[`${modelName}.${jsonField}`];
}
