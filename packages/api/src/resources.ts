/**
 * The catalog of served resources: one entry per kind, with what discovery, the REST
 * paths, the storage keys and kubectl's short names need. The one place that says which
 * kinds tkube serves.
 */

export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

export interface ResourceInfo {
  /** "" for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: the path segment and the storage key segment ("deployments"). */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** "all" for the kinds `kubectl get all` shows. */
  categories: string[];
  /** Subresources served besides the main resource ("status", "scale", "binding", ...). */
  subresources: string[];
  /** Whether the object has a spec whose changes bump metadata.generation. */
  hasStatus: boolean;
}

const ALL_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resource(
  group: string,
  version: string,
  kind: string,
  resourceName: string,
  options: Partial<Omit<ResourceInfo, 'group' | 'version' | 'kind' | 'resource'>> = {},
): ResourceInfo {
  return {
    group,
    version,
    kind,
    resource: resourceName,
    singular: options.singular ?? kind.toLowerCase(),
    namespaced: options.namespaced ?? true,
    shortNames: options.shortNames ?? [],
    categories: options.categories ?? [],
    subresources: options.subresources ?? [],
    hasStatus: options.hasStatus ?? false,
  };
}

export const RESOURCES: readonly ResourceInfo[] = [
  // core/v1
  resource('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    hasStatus: true,
  }),
  resource('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'log', 'exec', 'attach', 'eviction'],
    hasStatus: true,
  }),
  resource('', 'v1', 'Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
    hasStatus: true,
  }),
  resource('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
  }),
  resource('', 'v1', 'Endpoints', 'endpoints', { singular: 'endpoints', shortNames: ['ep'] }),
  resource('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  resource('', 'v1', 'Secret', 'secrets'),
  resource('', 'v1', 'Event', 'events', { shortNames: ['ev'] }),
  resource('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  resource('', 'v1', 'PersistentVolume', 'persistentvolumes', {
    namespaced: false,
    shortNames: ['pv'],
    subresources: ['status'],
    hasStatus: true,
  }),
  resource('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    subresources: ['status'],
    hasStatus: true,
  }),
  // apps/v1
  resource('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasStatus: true,
  }),
  resource('apps', 'v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasStatus: true,
  }),
  resource('apps', 'v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    hasStatus: true,
  }),
  resource('apps', 'v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
  }),
  resource('apps', 'v1', 'ControllerRevision', 'controllerrevisions'),
  // batch/v1
  resource('batch', 'v1', 'Job', 'jobs', { categories: ['all'], subresources: ['status'], hasStatus: true }),
  resource('batch', 'v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
  }),
  // autoscaling/v2
  resource('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
    hasStatus: true,
  }),
  // coordination.k8s.io/v1
  resource('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  // storage.k8s.io/v1
  resource('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', { namespaced: false, shortNames: ['sc'] }),
  // discovery.k8s.io/v1
  resource('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices'),
];

export const SERVED_VERBS: readonly Verb[] = ALL_VERBS;

/** "apps/v1" or "v1". */
export function apiVersionOf(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

export function findResource(group: string, version: string, resourceName: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resourceName);
}

export function findKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}
