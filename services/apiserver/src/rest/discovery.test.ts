import { RESOURCES } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { aggregatedDiscovery, groupDocument, groupList, resourceList, versionInfo } from './discovery.js';
import type { LooseJson } from './testing/https-client.js';

describe('discovery documents', () => {
  it('reports a 1.35 server', () => {
    expect(versionInfo()).toMatchObject({ major: '1', minor: '35', gitVersion: 'v1.35.0-tkube' });
    expect(versionInfo().platform).toMatch(/^\w+\/\w+$/);
  });

  it('lists every named group with its preferred version', () => {
    const list = groupList(RESOURCES) as { groups: { name: string; preferredVersion: unknown }[] };
    expect(list.groups.map((g) => g.name)).toEqual([
      'apps',
      'batch',
      'autoscaling',
      'coordination.k8s.io',
      'storage.k8s.io',
      'discovery.k8s.io',
    ]);
    expect(list.groups[0].preferredVersion).toEqual({ groupVersion: 'apps/v1', version: 'v1' });
    expect(groupDocument(RESOURCES, 'apps')).toMatchObject({ kind: 'APIGroup', name: 'apps' });
    expect(groupDocument(RESOURCES, 'nope')).toBeUndefined();
  });

  it('lists resources with their subresources as kubectl expects', () => {
    const list = resourceList(RESOURCES, 'apps', 'v1') as { resources: Record<string, unknown>[] };
    const byName = Object.fromEntries(list.resources.map((r) => [r.name, r]));
    expect(byName.deployments).toEqual({
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
    });
    expect(byName['deployments/status']).toMatchObject({ kind: 'Deployment', verbs: ['get', 'patch', 'update'] });
    expect(byName['deployments/scale']).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(byName.controllerrevisions).not.toHaveProperty('shortNames');
    const core = resourceList(RESOURCES, '', 'v1') as { groupVersion: string; resources: { name: string }[] };
    expect(core.groupVersion).toBe('v1');
    expect(core.resources.map((r) => r.name)).toContain('pods/binding');
    const coreByName = Object.fromEntries(core.resources.map((r) => [r.name, r]));
    expect(coreByName['pods/log']).toEqual({
      name: 'pods/log',
      singularName: '',
      namespaced: true,
      kind: 'Pod',
      verbs: ['get'],
    });
    expect(coreByName['pods/exec']).toMatchObject({ kind: 'PodExecOptions', verbs: ['create', 'get'] });
    expect(coreByName['pods/attach']).toMatchObject({ kind: 'PodAttachOptions', verbs: ['create', 'get'] });
    expect(coreByName['pods/eviction']).toMatchObject({
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    expect(resourceList(RESOURCES, 'apps', 'v2')).toBeUndefined();
  });

  it('builds the aggregated form: the core group under /api, named groups under /apis', () => {
    const legacy = aggregatedDiscovery(RESOURCES, true) as LooseJson;
    expect(legacy).toMatchObject({ kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2' });
    expect(legacy.items).toHaveLength(1);
    expect(legacy.items[0].metadata.name).toBe('');
    const pods = legacy.items[0].versions[0].resources.find((r: LooseJson) => r.resource === 'pods');
    expect(pods).toMatchObject({
      responseKind: { group: '', version: 'v1', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
    });
    expect(pods.subresources).toContainEqual({
      subresource: 'exec',
      responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' },
      verbs: ['create', 'get'],
    });
    const groups = aggregatedDiscovery(RESOURCES, false) as LooseJson;
    const apps = groups.items.find((g: LooseJson) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: LooseJson) => r.resource === 'deployments');
    expect(apps.versions[0].freshness).toBe('Current');
    expect(deployments.subresources).toContainEqual({
      subresource: 'scale',
      responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      verbs: ['get', 'patch', 'update'],
    });
  });
});
