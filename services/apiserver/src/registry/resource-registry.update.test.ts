import type { KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { configMap, deployment, pod, statusErrorOf, testCluster } from './test-fixtures.js';

function spec(object: KubeObject): Record<string, unknown> {
  return object.spec as Record<string, unknown>;
}

describe('update', () => {
  it('writes the new object and gives it a new resourceVersion', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object: created } = await configmaps.create('default', configMap('settings', { a: '1' }), {});
    const { object: updated } = await configmaps.update('default', 'settings', { ...created, data: { a: '2' } }, {});
    expect(updated.data).toEqual({ a: '2' });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion));
    expect(updated.metadata?.uid).toBe(created.metadata?.uid);
    expect(await configmaps.get('default', 'settings')).toEqual(updated);
  });

  it('an update of something that does not exist answers 404', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() =>
      cluster.registry('configmaps').update('default', 'ghost', configMap('ghost'), {}),
    );
    expect(err.code).toBe(404);
    expect(err.message).toBe('configmaps "ghost" not found');
  });

  it('an update with a stale resourceVersion answers 409 Conflict', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object: v1 } = await configmaps.create('default', configMap('settings', { a: '1' }), {});
    await configmaps.update('default', 'settings', { ...v1, data: { a: '2' } }, {});
    const err = await statusErrorOf(() => configmaps.update('default', 'settings', { ...v1, data: { a: '3' } }, {}));
    expect(err.code).toBe(409);
    expect(err.reason).toBe('Conflict');
    expect(err.message).toBe(
      'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await configmaps.get('default', 'settings')).data).toEqual({ a: '2' });
  });

  it('an update without resourceVersion is unconditional', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('settings', { a: '1' }), {});
    const { object } = await configmaps.update('default', 'settings', configMap('settings', { a: '9' }), {});
    expect(object.data).toEqual({ a: '9' });
  });

  it('two writers racing from the same resourceVersion: one wins, the other gets 409, nothing is lost', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object: base } = await configmaps.create('default', configMap('counter', { n: '0' }), {});
    const results = await Promise.allSettled([
      configmaps.update('default', 'counter', { ...base, data: { n: 'a' } }, {}),
      configmaps.update('default', 'counter', { ...base, data: { n: 'b' } }, {}),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason.reason).toBe('Conflict');
    const winner = (won[0] as PromiseFulfilledResult<{ object: KubeObject }>).value.object;
    expect(await configmaps.get('default', 'counter')).toEqual(winner);
  });

  it('changing labels does not bump generation, changing the replicas does', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object: created } = await deployments.create('default', deployment('web'), {});
    const relabelled = await deployments.update(
      'default',
      'web',
      { ...created, metadata: { ...created.metadata, labels: { app: 'web', tier: 'front' } } },
      {},
    );
    expect(relabelled.object.metadata?.generation).toBe(1);
    const scaled = await deployments.update(
      'default',
      'web',
      { ...relabelled.object, spec: { ...spec(relabelled.object), replicas: 5 } },
      {},
    );
    expect(scaled.object.metadata?.generation).toBe(2);
  });

  it('a Deployment annotation change bumps generation, as kube does for deployments', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const annotated = await deployments.update(
      'default',
      'web',
      { ...object, metadata: { ...object.metadata, annotations: { note: 'x' } } },
      {},
    );
    expect(annotated.object.metadata?.generation).toBe(2);
  });

  it('a client cannot set generation itself', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const { object: updated } = await deployments.update(
      'default',
      'web',
      { ...object, metadata: { ...object.metadata, generation: 42, labels: { app: 'web', x: 'y' } } },
      {},
    );
    expect(updated.metadata?.generation).toBe(1);
  });

  it('status in the body of an update is ignored for kinds with a status subresource', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const { object: withStatus } = await deployments.updateStatus(
      'default',
      'web',
      { ...object, status: { replicas: 2 } },
      {},
    );
    const { object: updated } = await deployments.update(
      'default',
      'web',
      { ...withStatus, spec: { ...spec(withStatus), replicas: 3 }, status: { replicas: 99 } },
      {},
    );
    expect(updated.status).toEqual({ replicas: 2 });
    expect(spec(updated).replicas).toBe(3);
  });

  it('uid and creationTimestamp survive an update that leaves them out', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object: created } = await configmaps.create('default', configMap('settings'), {});
    cluster.clock.advance(60);
    const { object } = await configmaps.update('default', 'settings', configMap('settings', { b: '2' }), {});
    expect(object.metadata?.uid).toBe(created.metadata?.uid);
    expect(object.metadata?.creationTimestamp).toBe(created.metadata?.creationTimestamp);
  });

  it('changing the uid answers 422', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('settings'), {});
    const err = await statusErrorOf(() =>
      configmaps.update('default', 'settings', { ...object, metadata: { ...object.metadata, uid: 'other' } }, {}),
    );
    expect(err.code).toBe(422);
    expect(err.details?.causes?.some((c) => c.field === 'metadata.uid')).toBe(true);
  });

  it('a name in the body different from the path answers 400', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('settings'), {});
    const err = await statusErrorOf(() => configmaps.update('default', 'settings', configMap('other'), {}));
    expect(err.code).toBe(400);
    expect(err.message).toBe('the name of the object (other) does not match the name on the URL (settings)');
  });

  it('an update that changes nothing does not write and returns the current resourceVersion', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('settings'), {});
    const before = await cluster.storage.currentRevision();
    const { object: same } = await configmaps.update('default', 'settings', object, {});
    expect(same.metadata?.resourceVersion).toBe(object.metadata?.resourceVersion);
    expect(await cluster.storage.currentRevision()).toBe(before);
  });

  it('immutable fields are refused with 422 (a Deployment selector)', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const changed = structuredClone(object);
    (spec(changed).selector as Record<string, unknown>).matchLabels = { app: 'web', extra: 'x' };
    ((spec(changed).template as Record<string, unknown>).metadata as Record<string, unknown>).labels = {
      app: 'web',
      extra: 'x',
    };
    const err = await statusErrorOf(() => deployments.update('default', 'web', changed, {}));
    expect(err.code).toBe(422);
    expect(err.details?.causes?.some((c) => c.field === 'spec.selector')).toBe(true);
  });

  it('an invalid update answers 422 and leaves the stored object as it was', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const err = await statusErrorOf(() =>
      deployments.update('default', 'web', { ...object, spec: { ...spec(object), replicas: -1 } }, {}),
    );
    expect(err.code).toBe(422);
    expect(await deployments.get('default', 'web')).toEqual(object);
  });
});

describe('updateStatus', () => {
  it('changes only status: spec and labels in the body are ignored', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const { object: updated } = await deployments.updateStatus(
      'default',
      'web',
      {
        ...object,
        metadata: { ...object.metadata, labels: { hacked: 'yes' } },
        spec: { ...spec(object), replicas: 50 },
        status: { replicas: 2, readyReplicas: 1, observedGeneration: 1 },
      },
      {},
    );
    expect(updated.status).toEqual({ replicas: 2, readyReplicas: 1, observedGeneration: 1 });
    expect(spec(updated).replicas).toBe(2);
    expect(updated.metadata?.labels).toEqual({ app: 'web' });
    expect(updated.metadata?.generation).toBe(1);
  });

  it('a stale resourceVersion answers 409 Conflict', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    const { object } = await pods.create('default', pod('web'), {});
    await pods.updateStatus('default', 'web', { ...object, status: { phase: 'Running' } }, {});
    const err = await statusErrorOf(() =>
      pods.updateStatus('default', 'web', { ...object, status: { phase: 'Failed' } }, {}),
    );
    expect(err.reason).toBe('Conflict');
    expect(((await pods.get('default', 'web')).status as Record<string, unknown>).phase).toBe('Running');
  });

  it('a kind without a status subresource answers 404', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('settings'), {});
    const err = await statusErrorOf(() => configmaps.updateStatus('default', 'settings', configMap('settings'), {}));
    expect(err.code).toBe(404);
  });
});
