import { describe, expect, it } from 'vitest';
import { configMap, deployment, namespace, pod, START, statusErrorOf, testCluster } from './test-fixtures.js';

describe('create', () => {
  it('fills uid, creationTimestamp, resourceVersion, apiVersion and kind', async () => {
    const cluster = await testCluster();
    const { object } = await cluster.registry('configmaps').create('default', configMap('settings'), {});
    expect(object.apiVersion).toBe('v1');
    expect(object.kind).toBe('ConfigMap');
    expect(object.metadata?.namespace).toBe('default');
    expect(object.metadata?.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(object.metadata?.creationTimestamp).toBe('2025-03-01T10:00:00Z');
    expect(object.metadata?.resourceVersion).toBe(String(await cluster.storage.currentRevision()));
    const read = await cluster.registry('configmaps').get('default', 'settings');
    expect(read).toEqual(object);
  });

  it('a second create with the same name answers 409 AlreadyExists and leaves the first untouched', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const first = await configmaps.create('default', configMap('settings', { a: '1' }), {});
    const err = await statusErrorOf(() => configmaps.create('default', configMap('settings', { a: '2' }), {}));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('AlreadyExists');
    expect(err.message).toBe('configmaps "settings" already exists');
    expect(await configmaps.get('default', 'settings')).toEqual(first.object);
  });

  it('the same name in two namespaces is two objects', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const a = await configmaps.create('default', configMap('settings'), {});
    const b = await configmaps.create('kube-system', configMap('settings'), {});
    expect(a.object.metadata?.uid).not.toBe(b.object.metadata?.uid);
  });

  it('generateName gives a 5-character suffix from the Kubernetes alphabet', async () => {
    const cluster = await testCluster();
    const body = configMap('');
    body.metadata = { generateName: 'job-' };
    const { object } = await cluster.registry('configmaps').create('default', body, {});
    expect(object.metadata?.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(object.metadata?.generateName).toBe('job-');
  });

  it('generateName retries with another name when the first one is taken', async () => {
    const storage = (await import('../storage/memory-storage.js')).MemoryStorage;
    const { StoredResourceRegistry } = await import('./resource-registry.js');
    const { findResource } = await import('@tkube/api');
    const info = findResource('', 'v1', 'configmaps');
    if (!info) throw new Error('configmaps not in the catalog');
    // A random source that repeats the first name once before moving on.
    const sequence = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    let i = 0;
    const registry = new StoredResourceRegistry(info, {
      storage: new storage(),
      namespaceState: async () => 'active',
      random: () => sequence[i++ % sequence.length],
    });
    const body = { metadata: { generateName: 'x-' } };
    const first = await registry.create('default', body, {});
    const second = await registry.create('default', body, {});
    expect(first.object.metadata?.name).toBe('x-bbbbb');
    expect(second.object.metadata?.name).toBe('x-ccccc');
  });

  it('a name or generateName is required (422)', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() => cluster.registry('configmaps').create('default', { data: {} }, {}));
    expect(err.code).toBe(422);
    expect(err.details?.causes?.some((c) => c.field === 'metadata.name')).toBe(true);
  });

  it('a body of another kind or apiVersion answers 400 BadRequest', async () => {
    const cluster = await testCluster();
    const wrongKind = await statusErrorOf(() => cluster.registry('configmaps').create('default', pod('p'), {}));
    expect(wrongKind.code).toBe(400);
    const wrongVersion = await statusErrorOf(() =>
      cluster.registry('deployments').create('default', { ...deployment('web'), apiVersion: 'apps/v1beta1' }, {}),
    );
    expect(wrongVersion.code).toBe(400);
    expect(wrongVersion.message).toBe(
      'the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)',
    );
  });

  it('kind and apiVersion may be left out of the body', async () => {
    const cluster = await testCluster();
    const { object } = await cluster.registry('configmaps').create('default', { metadata: { name: 'bare' } }, {});
    expect(object.kind).toBe('ConfigMap');
  });

  it('a namespace in the body different from the path answers 400', async () => {
    const cluster = await testCluster();
    const body = configMap('settings');
    body.metadata = { name: 'settings', namespace: 'kube-system' };
    const err = await statusErrorOf(() => cluster.registry('configmaps').create('default', body, {}));
    expect(err.code).toBe(400);
    expect(err.message).toBe('the namespace of the provided object does not match the namespace sent on the request');
  });

  it('creating in a namespace that does not exist answers 404 for the namespace, storing nothing', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() => cluster.registry('configmaps').create('nowhere', configMap('settings'), {}));
    expect(err.code).toBe(404);
    expect(err.message).toBe('namespaces "nowhere" not found');
    expect((await cluster.registry('configmaps').list(undefined, {})).items).toHaveLength(0);
  });

  it('creating in a terminating namespace answers 403 Forbidden', async () => {
    const cluster = await testCluster();
    await cluster.registry('namespaces').create(undefined, namespace('doomed'), {});
    await cluster.registry('namespaces').delete(undefined, 'doomed', {});
    const err = await statusErrorOf(() => cluster.registry('configmaps').create('doomed', configMap('settings'), {}));
    expect(err.code).toBe(403);
    expect(err.reason).toBe('Forbidden');
    expect(err.message).toBe(
      'configmaps "settings" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );
  });

  it('a cluster-scoped object ignores the namespace of its body', async () => {
    const cluster = await testCluster();
    const body = namespace('team-a');
    body.metadata = { name: 'team-a', namespace: 'default' };
    const { object } = await cluster.registry('namespaces').create(undefined, body, {});
    expect(object.metadata?.namespace).toBeUndefined();
  });

  it('ignores a client-set resourceVersion, uid, creationTimestamp and deletionTimestamp', async () => {
    const cluster = await testCluster();
    const body = configMap('settings');
    body.metadata = {
      name: 'settings',
      resourceVersion: '999',
      uid: 'mine',
      creationTimestamp: '2000-01-01T00:00:00Z',
      deletionTimestamp: '2000-01-01T00:00:00Z',
    };
    const { object } = await cluster.registry('configmaps').create('default', body, {});
    expect(object.metadata?.resourceVersion).not.toBe('999');
    expect(object.metadata?.uid).not.toBe('mine');
    expect(object.metadata?.creationTimestamp).toBe('2025-03-01T10:00:00Z');
    expect(object.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('a Deployment starts at generation 1 with its status cleared', async () => {
    const cluster = await testCluster();
    const body = deployment('web');
    body.status = { replicas: 7, readyReplicas: 7 };
    const { object } = await cluster.registry('deployments').create('default', body, {});
    expect(object.metadata?.generation).toBe(1);
    expect(object.status).toBeUndefined();
  });

  it('a ConfigMap has no generation', async () => {
    const cluster = await testCluster();
    const { object } = await cluster.registry('configmaps').create('default', configMap('settings'), {});
    expect(object.metadata?.generation).toBeUndefined();
  });

  it('a Pod starts Pending, whatever status it was sent with', async () => {
    const cluster = await testCluster();
    const body = pod('web');
    body.status = { phase: 'Running', podIP: '10.0.0.1' };
    const { object } = await cluster.registry('pods').create('default', body, {});
    expect(object.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
    expect(object.metadata?.generation).toBe(1);
  });

  it('an invalid Deployment answers 422 with field causes and nothing is stored', async () => {
    const cluster = await testCluster();
    const body = deployment('web');
    (body.spec as Record<string, unknown>).selector = { matchLabels: { app: 'other' } };
    const err = await statusErrorOf(() => cluster.registry('deployments').create('default', body, {}));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.details?.kind).toBe('Deployment');
    expect(err.details?.group).toBe('apps');
    expect(err.details?.causes?.length).toBeGreaterThan(0);
    expect(err.details?.causes?.some((c) => c.field?.startsWith('spec.template.metadata.labels'))).toBe(true);
    const revision = await cluster.storage.currentRevision();
    expect((await cluster.registry('deployments').list('default', {})).items).toHaveLength(0);
    expect(await cluster.storage.currentRevision()).toBe(revision);
  });

  it('defaults are applied before the object is stored', async () => {
    const cluster = await testCluster();
    const { object } = await cluster.registry('deployments').create('default', deployment('web'), {});
    const spec = object.spec as Record<string, unknown>;
    expect(spec.revisionHistoryLimit).toBe(10);
    expect((spec.strategy as Record<string, unknown>).type).toBe('RollingUpdate');
  });

  it('dryRun validates and answers without storing', async () => {
    const cluster = await testCluster();
    const revision = await cluster.storage.currentRevision();
    const { object } = await cluster.registry('configmaps').create('default', configMap('settings'), { dryRun: true });
    expect(object.metadata?.name).toBe('settings');
    expect(await cluster.storage.currentRevision()).toBe(revision);
    const err = await statusErrorOf(() => cluster.registry('configmaps').get('default', 'settings'));
    expect(err.code).toBe(404);
  });

  it('the creation time comes from the injected clock', async () => {
    const cluster = await testCluster();
    cluster.clock.advance(90);
    const { object } = await cluster.registry('configmaps').create('default', configMap('later'), {});
    expect(object.metadata?.creationTimestamp).toBe(
      new Date(START.getTime() + 90_000).toISOString().replace('.000Z', 'Z'),
    );
  });
});
