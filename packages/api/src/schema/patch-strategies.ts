/**
 * The `patchStrategy` and `patchMergeKey` struct tags of k8s.io/api, for the models the
 * served kinds reach: the one source of strategic-merge metadata. client-node's model
 * metadata does not carry these tags, so they are listed here by "ModelName.jsonField"; a
 * model carries the same tags wherever it appears (a V1Container in a Pod, a Deployment's
 * template or a CronJob's job template).
 *
 * Two readers: the OpenAPI documents (x-kubernetes-patch-strategy / -merge-key, which
 * kubectl reads to build apply patches) and applyStrategicMergePatch (patch/patch-meta.ts).
 * A field not listed merges if it is an object and is replaced if it is a list, as a Go
 * field without tags does.
 */

/** The tag's value: lists merge ("merge"), and/or `$retainKeys` is expected ("retainKeys"). */
export type PatchStrategyName = 'merge' | 'retainKeys' | 'merge,retainKeys';

export interface PatchStrategy {
  readonly strategy: PatchStrategyName;
  /** The item field that identifies an object in a merged list; absent for lists of primitives. */
  readonly mergeKey?: string;
}

const mergeBy = (mergeKey: string): PatchStrategy => ({ strategy: 'merge', mergeKey });
/** A list of primitives merged as a set (finalizers, podCIDRs). */
const MERGED_SET: PatchStrategy = { strategy: 'merge' };
const RETAIN_KEYS: PatchStrategy = { strategy: 'retainKeys' };
const BY_NAME = mergeBy('name');
/** `conditions` of every status. */
const CONDITIONS = mergeBy('type');

/** Keyed by "ModelName.jsonField" (client-node's model names). */
export const PATCH_STRATEGIES: Readonly<Record<string, PatchStrategy>> = {
  // meta/v1
  'V1ObjectMeta.finalizers': MERGED_SET,
  'V1ObjectMeta.ownerReferences': mergeBy('uid'),

  // core/v1 Pod
  'V1PodSpec.volumes': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1PodSpec.initContainers': BY_NAME,
  'V1PodSpec.containers': BY_NAME,
  'V1PodSpec.ephemeralContainers': BY_NAME,
  'V1PodSpec.imagePullSecrets': BY_NAME,
  'V1PodSpec.hostAliases': mergeBy('ip'),
  'V1PodSpec.topologySpreadConstraints': mergeBy('topologyKey'),
  'V1PodSpec.resourceClaims': { strategy: 'merge,retainKeys', mergeKey: 'name' },
  'V1PodSpec.schedulingGates': BY_NAME,
  'V1Container.ports': mergeBy('containerPort'),
  'V1Container.env': BY_NAME,
  'V1Container.volumeMounts': mergeBy('mountPath'),
  'V1Container.volumeDevices': mergeBy('devicePath'),
  // EphemeralContainerCommon, flattened into V1EphemeralContainer by client-node.
  'V1EphemeralContainer.ports': mergeBy('containerPort'),
  'V1EphemeralContainer.env': BY_NAME,
  'V1EphemeralContainer.volumeMounts': mergeBy('mountPath'),
  'V1EphemeralContainer.volumeDevices': mergeBy('devicePath'),
  'V1PodStatus.conditions': CONDITIONS,
  'V1PodStatus.podIPs': mergeBy('ip'),
  'V1PodStatus.hostIPs': mergeBy('ip'),
  'V1PodStatus.resourceClaimStatuses': { strategy: 'merge,retainKeys', mergeKey: 'name' },

  // core/v1, other kinds
  'V1NodeSpec.podCIDRs': MERGED_SET,
  'V1NodeStatus.conditions': CONDITIONS,
  'V1NodeStatus.addresses': mergeBy('type'),
  'V1NamespaceStatus.conditions': CONDITIONS,
  'V1ServiceSpec.ports': mergeBy('port'),
  'V1ServiceStatus.conditions': CONDITIONS,
  'V1PersistentVolumeClaimStatus.conditions': CONDITIONS,
  'V1ServiceAccount.secrets': BY_NAME,

  // apps/v1
  'V1DeploymentSpec.strategy': RETAIN_KEYS,
  'V1DeploymentStatus.conditions': CONDITIONS,
  'V1ReplicaSetStatus.conditions': CONDITIONS,
  'V1StatefulSetStatus.conditions': CONDITIONS,
  'V1DaemonSetStatus.conditions': CONDITIONS,

  // batch/v1, autoscaling/v2
  'V1JobStatus.conditions': CONDITIONS,
  'V2HorizontalPodAutoscalerStatus.conditions': CONDITIONS,
};

export function patchStrategyOf(modelName: string, jsonField: string): PatchStrategy | undefined {
  const key = `${modelName}.${jsonField}`;
  return Object.hasOwn(PATCH_STRATEGIES, key) ? PATCH_STRATEGIES[key] : undefined;
}
