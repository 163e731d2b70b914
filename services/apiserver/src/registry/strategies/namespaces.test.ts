import type { KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { configMap, namespace, statusErrorOf, testCluster } from '../test-fixtures.js';

describe('namespaces', () => {
  it('a new namespace is Active with the kubernetes finalizer and no generation', async () => {
    const cluster = await testCluster();
    const { object } = await cluster.registry('namespaces').create(undefined, namespace('team-a'), {});
    expect(object.status).toEqual({ phase: 'Active' });
    expect(object.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(object.metadata?.generation).toBeUndefined();
  });

  it('delete marks the namespace Terminating with a deletionTimestamp and keeps it', async () => {
    const cluster = await testCluster();
    const namespaces = cluster.registry('namespaces');
    await namespaces.create(undefined, namespace('team-a'), {});
    const result = (await namespaces.delete(undefined, 'team-a', {})) as KubeObject;
    expect(result.status).toEqual({ phase: 'Terminating' });
    expect(result.metadata?.deletionTimestamp).toBe('2025-03-01T10:00:00Z');
    expect((await namespaces.get(undefined, 'team-a')).status).toEqual({ phase: 'Terminating' });
  });

  it('a second delete while content is being removed answers 409', async () => {
    const cluster = await testCluster();
    const namespaces = cluster.registry('namespaces');
    await namespaces.create(undefined, namespace('team-a'), {});
    await namespaces.delete(undefined, 'team-a', {});
    const err = await statusErrorOf(() => namespaces.delete(undefined, 'team-a', {}));
    expect(err.code).toBe(409);
    expect(err.message).toContain('The system is ensuring all content is removed from this namespace.');
  });

  it('finalize with no finalizers left deletes a terminating namespace', async () => {
    const cluster = await testCluster();
    const namespaces = cluster.registry('namespaces');
    await namespaces.create(undefined, namespace('team-a'), {});
    const marked = (await namespaces.delete(undefined, 'team-a', {})) as KubeObject;
    if (!namespaces.finalize) throw new Error('namespaces serve finalize');
    await namespaces.finalize('team-a', { ...marked, spec: { finalizers: [] } }, {});
    expect((await statusErrorOf(() => namespaces.get(undefined, 'team-a'))).code).toBe(404);
  });

  it('finalize of a live namespace only changes spec.finalizers', async () => {
    const cluster = await testCluster();
    const namespaces = cluster.registry('namespaces');
    const { object } = await namespaces.create(undefined, namespace('team-a'), {});
    if (!namespaces.finalize) throw new Error('namespaces serve finalize');
    const { object: finalized } = await namespaces.finalize(
      'team-a',
      { ...object, metadata: { ...object.metadata, labels: { ignored: 'yes' } }, spec: { finalizers: [] } },
      {},
    );
    expect(finalized.spec).toEqual({});
    expect(finalized.metadata?.labels).toEqual(object.metadata?.labels);
  });

  it('an update cannot change spec.finalizers or status', async () => {
    const cluster = await testCluster();
    const namespaces = cluster.registry('namespaces');
    const { object } = await namespaces.create(undefined, namespace('team-a'), {});
    const { object: updated } = await namespaces.update(
      undefined,
      'team-a',
      {
        ...object,
        metadata: { ...object.metadata, labels: { env: 'prod' } },
        spec: { finalizers: [] },
        status: { phase: 'Terminating' },
      },
      {},
    );
    expect(updated.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(updated.status).toEqual({ phase: 'Active' });
    expect(updated.metadata?.labels).toMatchObject({ env: 'prod' });
  });

  it('default, kube-system and kube-public may not be deleted (403)', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() => cluster.registry('namespaces').delete(undefined, 'default', {}));
    expect(err.code).toBe(403);
    expect(err.message).toBe('namespaces "default" is forbidden: this namespace may not be deleted');
  });

  it('objects in a terminating namespace can still be deleted', async () => {
    const cluster = await testCluster();
    await cluster.registry('namespaces').create(undefined, namespace('team-a'), {});
    await cluster.registry('configmaps').create('team-a', configMap('settings'), {});
    await cluster.registry('namespaces').delete(undefined, 'team-a', {});
    await cluster.registry('configmaps').delete('team-a', 'settings', {});
    expect((await cluster.registry('configmaps').list('team-a', {})).items).toHaveLength(0);
  });
});
