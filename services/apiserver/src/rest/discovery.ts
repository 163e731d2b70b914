/**
 * Discovery documents: /version, /api, /apis, /apis/{group} and the resource lists of each
 * group version, in the legacy (meta/v1) form and in the aggregated apidiscovery.k8s.io/v2
 * form kubectl 1.35 asks for first. Both are built from the served resources' catalog
 * entries, so discovery never lists what the server does not answer.
 */
import { apiVersionOf, type ResourceInfo, SERVED_VERBS } from '@tkube/api';

export const SERVER_VERSION = { major: '1', minor: '35', gitVersion: 'v1.35.0-tkube' };

const GO_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

export function versionInfo(): Record<string, string> {
  return {
    major: SERVER_VERSION.major,
    minor: SERVER_VERSION.minor,
    emulationMajor: SERVER_VERSION.major,
    emulationMinor: SERVER_VERSION.minor,
    minCompatibilityMajor: SERVER_VERSION.major,
    minCompatibilityMinor: '34',
    gitVersion: SERVER_VERSION.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-12-17T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'tkube',
    platform: `${process.platform}/${GO_ARCH[process.arch] ?? process.arch}`,
  };
}

/** The subresources this server answers, with their verbs and response kinds. */
export interface ServedSubresource {
  name: string;
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

/** Pod subresources the apiserver proxies to kubelets, with kube's kinds and verbs. */
const KUBELET_SUBRESOURCES: Record<string, Omit<ServedSubresource, 'group' | 'version'>> = {
  attach: { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
  exec: { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
  log: { name: 'log', kind: 'Pod', verbs: ['get'] },
};

export function servedSubresources(info: ResourceInfo): ServedSubresource[] {
  const served: ServedSubresource[] = [];
  for (const subresource of info.subresources) {
    const kubelet = KUBELET_SUBRESOURCES[subresource];
    if (subresource === 'status') {
      served.push({
        name: 'status',
        group: info.group,
        version: info.version,
        kind: info.kind,
        verbs: ['get', 'patch', 'update'],
      });
    } else if (subresource === 'scale') {
      served.push({
        name: 'scale',
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    } else if (subresource === 'binding') {
      served.push({ name: 'binding', group: '', version: 'v1', kind: 'Binding', verbs: ['create'] });
    } else if (subresource === 'eviction') {
      served.push({ name: 'eviction', group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    } else if (subresource === 'finalize') {
      served.push({ name: 'finalize', group: '', version: 'v1', kind: 'Namespace', verbs: ['update'] });
    } else if (kubelet && info.group === '' && info.resource === 'pods') {
      served.push({ ...kubelet, group: '', version: 'v1', verbs: [...kubelet.verbs] });
    }
    // eviction is not served yet: not advertised either.
  }
  return served;
}

function byGroupVersion(infos: readonly ResourceInfo[]): Map<string, ResourceInfo[]> {
  const groups = new Map<string, ResourceInfo[]>();
  for (const info of infos) {
    const key = apiVersionOf(info);
    groups.set(key, [...(groups.get(key) ?? []), info]);
  }
  return groups;
}

function groupNames(infos: readonly ResourceInfo[]): string[] {
  return [...new Set(infos.filter((info) => info.group !== '').map((info) => info.group))];
}

function versionsOf(infos: readonly ResourceInfo[], group: string): string[] {
  return [...new Set(infos.filter((info) => info.group === group).map((info) => info.version))];
}

export function legacyVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(infos: readonly ResourceInfo[], group: string): Record<string, unknown> {
  const versions = versionsOf(infos, group).map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function groupList(infos: readonly ResourceInfo[]): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: groupNames(infos).map((group) => apiGroup(infos, group)) };
}

export function groupDocument(infos: readonly ResourceInfo[], group: string): unknown | undefined {
  if (!groupNames(infos).includes(group)) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(infos, group) };
}

function withOptionalLists(entry: Record<string, unknown>, info: ResourceInfo): Record<string, unknown> {
  if (info.shortNames.length > 0) entry.shortNames = info.shortNames;
  if (info.categories.length > 0) entry.categories = info.categories;
  return entry;
}

export function resourceList(infos: readonly ResourceInfo[], group: string, version: string): unknown | undefined {
  const served = infos.filter((info) => info.group === group && info.version === version);
  if (served.length === 0) return undefined;
  const resources: unknown[] = [];
  for (const info of served) {
    resources.push(
      withOptionalLists(
        {
          name: info.resource,
          singularName: info.singular,
          namespaced: info.namespaced,
          kind: info.kind,
          verbs: [...SERVED_VERBS],
        },
        info,
      ),
    );
    for (const sub of servedSubresources(info)) {
      const entry: Record<string, unknown> = {
        name: `${info.resource}/${sub.name}`,
        singularName: '',
        namespaced: info.namespaced,
      };
      if (sub.group !== info.group || sub.version !== info.version) {
        entry.group = sub.group;
        entry.version = sub.version;
      }
      resources.push({ ...entry, kind: sub.kind, verbs: sub.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

function aggregatedResource(info: ResourceInfo): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: info.resource,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: [...SERVED_VERBS],
  };
  withOptionalLists(entry, info);
  const subresources = servedSubresources(info).map((sub) => ({
    subresource: sub.name,
    responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
    verbs: sub.verbs,
  }));
  if (subresources.length > 0) entry.subresources = subresources;
  return entry;
}

/** The aggregated form: `/api` holds the core group (name ""), `/apis` every named group. */
export function aggregatedDiscovery(infos: readonly ResourceInfo[], legacy: boolean): unknown {
  const groups = legacy ? [''] : groupNames(infos);
  const perGroupVersion = byGroupVersion(infos);
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((group) => ({
      metadata: { name: group },
      versions: versionsOf(infos, group).map((version) => ({
        version,
        resources: (perGroupVersion.get(apiVersionOf({ group, version })) ?? []).map(aggregatedResource),
        freshness: 'Current',
      })),
    })),
  };
}
