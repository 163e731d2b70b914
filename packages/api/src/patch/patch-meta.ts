/**
 * Where strategic merge patch finds its strategy: the `patchStrategy` and `patchMergeKey`
 * struct tags of k8s.io/api (core/v1/types.go, apps/v1, batch/v1, autoscaling/v2,
 * meta/v1 ObjectMeta), reduced to the fields of the kinds tkube serves. A field that is not
 * listed merges if it is an object and is replaced if it is a list, as for a Go field
 * without tags. `retainKeys` strategies need no entry: the `$retainKeys` directive a patch
 * carries is honoured wherever it appears.
 */
import type { ResourceInfo } from '../resources.js';

export interface FieldPatchMeta {
  /** "merge": lists merge (by mergeKey when their items are objects, as a set otherwise). */
  readonly strategy?: 'merge' | 'replace';
  readonly mergeKey?: string;
  /** The fields of the value, or of each item when the value is a list. */
  readonly fields?: StructPatchMeta;
}

export type StructPatchMeta = Readonly<Record<string, FieldPatchMeta>>;

const mergeBy = (mergeKey: string, fields?: StructPatchMeta): FieldPatchMeta =>
  fields ? { strategy: 'merge', mergeKey, fields } : { strategy: 'merge', mergeKey };
const struct = (fields: StructPatchMeta): FieldPatchMeta => ({ fields });
/** A list of primitives merged as a set (finalizers, podCIDRs). */
const MERGED_SET: FieldPatchMeta = { strategy: 'merge' };
/** `conditions` of every status: patchStrategy=merge, patchMergeKey=type. */
const CONDITIONS = mergeBy('type');

const OBJECT_META: StructPatchMeta = {
  finalizers: MERGED_SET,
  ownerReferences: mergeBy('uid'),
};

/** core/v1 Container and EphemeralContainerCommon. */
const CONTAINER: StructPatchMeta = {
  ports: mergeBy('containerPort'),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
};

const POD_SPEC: StructPatchMeta = {
  volumes: mergeBy('name'),
  initContainers: mergeBy('name', CONTAINER),
  containers: mergeBy('name', CONTAINER),
  ephemeralContainers: mergeBy('name', CONTAINER),
  imagePullSecrets: mergeBy('name'),
  hostAliases: mergeBy('ip'),
  topologySpreadConstraints: mergeBy('topologyKey'),
  resourceClaims: mergeBy('name'),
  schedulingGates: mergeBy('name'),
};

const POD_STATUS: StructPatchMeta = {
  conditions: CONDITIONS,
  podIPs: mergeBy('ip'),
  hostIPs: mergeBy('ip'),
  resourceClaimStatuses: mergeBy('name'),
};

const POD_TEMPLATE: StructPatchMeta = {
  metadata: struct(OBJECT_META),
  spec: struct(POD_SPEC),
};

/** A status whose only tagged field is `conditions`. */
const CONDITIONS_STATUS: StructPatchMeta = { conditions: CONDITIONS };

const JOB_SPEC: StructPatchMeta = { template: struct(POD_TEMPLATE) };

function kind(spec?: StructPatchMeta, status?: StructPatchMeta): StructPatchMeta {
  const meta: Record<string, FieldPatchMeta> = { metadata: struct(OBJECT_META) };
  if (spec) meta.spec = struct(spec);
  if (status) meta.status = struct(status);
  return meta;
}

/** Keyed by "group/Kind" ("" is the core group). */
const KINDS: Readonly<Record<string, StructPatchMeta>> = {
  '/Pod': kind(POD_SPEC, POD_STATUS),
  '/Node': kind({ podCIDRs: MERGED_SET }, { conditions: CONDITIONS, addresses: mergeBy('type') }),
  '/Namespace': kind(undefined, CONDITIONS_STATUS),
  '/Service': kind({ ports: mergeBy('port') }, CONDITIONS_STATUS),
  '/PersistentVolumeClaim': kind(undefined, CONDITIONS_STATUS),
  '/ServiceAccount': { metadata: struct(OBJECT_META), secrets: mergeBy('name') },
  'apps/Deployment': kind({ template: struct(POD_TEMPLATE) }, CONDITIONS_STATUS),
  'apps/ReplicaSet': kind({ template: struct(POD_TEMPLATE) }, CONDITIONS_STATUS),
  'apps/StatefulSet': kind({ template: struct(POD_TEMPLATE) }, CONDITIONS_STATUS),
  'apps/DaemonSet': kind({ template: struct(POD_TEMPLATE) }, CONDITIONS_STATUS),
  'batch/Job': kind(JOB_SPEC, CONDITIONS_STATUS),
  'batch/CronJob': kind({ jobTemplate: struct({ metadata: struct(OBJECT_META), spec: struct(JOB_SPEC) }) }),
  'autoscaling/HorizontalPodAutoscaler': kind(undefined, CONDITIONS_STATUS),
};

/** The patch meta of a kind's objects; kinds without tagged fields still have metadata's. */
export function patchMetaFor(info: Pick<ResourceInfo, 'group' | 'kind'>): StructPatchMeta {
  return KINDS[`${info.group}/${info.kind}`] ?? kind();
}
