import type { KubeObject, Status } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { configMap, deployment, names, statusErrorOf, testCluster } from './test-fixtures.js';

function asObject(result: KubeObject | Status): KubeObject {
  expect(result.kind).not.toBe('Status');
  return result as KubeObject;
}

describe('delete', () => {
  it('removes the object; a ConfigMap delete answers a Success Status with its uid, as kube does', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('settings'), {});
    const result = await configmaps.delete('default', 'settings', {});
    expect(result).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: 'settings', kind: 'configmaps', uid: object.metadata?.uid },
    });
    expect((await statusErrorOf(() => configmaps.get('default', 'settings'))).code).toBe(404);
  });

  it('a Deployment delete answers a Status naming the group', async () => {
    const cluster = await testCluster();
    await cluster.registry('deployments').create('default', deployment('web'), {});
    const result = (await cluster.registry('deployments').delete('default', 'web', {})) as Status;
    expect(result.details).toMatchObject({ name: 'web', group: 'apps', kind: 'deployments' });
  });

  it('a Service delete answers with the deleted object', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    await services.create(
      'default',
      { metadata: { name: 'web' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
      {},
    );
    const result = asObject(await services.delete('default', 'web', {}));
    expect(result.metadata?.name).toBe('web');
  });

  it('deleting something that does not exist answers 404', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() => cluster.registry('configmaps').delete('default', 'ghost', {}));
    expect(err.code).toBe(404);
    expect(err.message).toBe('configmaps "ghost" not found');
  });

  it('a uid precondition that does not match answers 409 and keeps the object', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('settings'), {});
    const err = await statusErrorOf(() =>
      configmaps.delete('default', 'settings', { preconditions: { uid: 'someone-else' } }),
    );
    expect(err.code).toBe(409);
    expect(err.message).toContain('the UID in the precondition (someone-else) does not match the UID in record');
    await configmaps.delete('default', 'settings', { preconditions: { uid: object.metadata?.uid } });
  });

  it('a resourceVersion precondition that does not match answers 409', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('settings'), {});
    await configmaps.patch('default', 'settings', 'merge', Buffer.from('{"data":{"x":"y"}}'), {});
    const err = await statusErrorOf(() =>
      configmaps.delete('default', 'settings', {
        preconditions: { resourceVersion: object.metadata?.resourceVersion },
      }),
    );
    expect(err.code).toBe(409);
  });

  it('an object with finalizers is kept, marked with deletionTimestamp, and returned', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const body = configMap('guarded');
    body.metadata = { name: 'guarded', finalizers: ['example.com/hold'] };
    await configmaps.create('default', body, {});
    const result = asObject(await configmaps.delete('default', 'guarded', {}));
    expect(result.metadata?.deletionTimestamp).toBe('2025-03-01T10:00:00Z');
    expect(result.metadata?.deletionGracePeriodSeconds).toBe(0);
    expect(await configmaps.get('default', 'guarded')).toEqual(result);
    // A second delete changes nothing and answers the same.
    const again = asObject(await configmaps.delete('default', 'guarded', {}));
    expect(again.metadata?.resourceVersion).toBe(result.metadata?.resourceVersion);
  });

  it('removing the last finalizer of an object being deleted deletes it', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const body = configMap('guarded');
    body.metadata = { name: 'guarded', finalizers: ['example.com/hold'] };
    await configmaps.create('default', body, {});
    const marked = asObject(await configmaps.delete('default', 'guarded', {}));
    await configmaps.update('default', 'guarded', { ...marked, metadata: { ...marked.metadata, finalizers: [] } }, {});
    expect((await statusErrorOf(() => configmaps.get('default', 'guarded'))).code).toBe(404);
  });

  it('no finalizer may be added to an object being deleted (422)', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const body = configMap('guarded');
    body.metadata = { name: 'guarded', finalizers: ['example.com/hold'] };
    await configmaps.create('default', body, {});
    const marked = asObject(await configmaps.delete('default', 'guarded', {}));
    const err = await statusErrorOf(() =>
      configmaps.update(
        'default',
        'guarded',
        { ...marked, metadata: { ...marked.metadata, finalizers: ['example.com/hold', 'example.com/more'] } },
        {},
      ),
    );
    expect(err.code).toBe(422);
  });

  it('an update cannot clear deletionTimestamp', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const body = configMap('guarded');
    body.metadata = { name: 'guarded', finalizers: ['example.com/hold'] };
    await configmaps.create('default', body, {});
    const marked = asObject(await configmaps.delete('default', 'guarded', {}));
    const meta = { ...marked.metadata };
    delete meta.deletionTimestamp;
    const { object } = await configmaps.update(
      'default',
      'guarded',
      { ...marked, metadata: meta, data: { k: 'v2' } },
      {},
    );
    expect(object.metadata?.deletionTimestamp).toBe(marked.metadata?.deletionTimestamp);
  });

  it('propagationPolicy Foreground keeps the object with the foregroundDeletion finalizer', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web'), {});
    const result = asObject(await deployments.delete('default', 'web', { propagationPolicy: 'Foreground' }));
    expect(result.metadata?.finalizers).toEqual(['foregroundDeletion']);
    expect(result.metadata?.deletionTimestamp).toBeDefined();
    // A first delete of a kept object is a change controllers must see.
    expect(result.metadata?.generation).toBe(2);
  });

  it('propagationPolicy Orphan keeps the object with the orphan finalizer', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web'), {});
    const result = asObject(await deployments.delete('default', 'web', { propagationPolicy: 'Orphan' }));
    expect(result.metadata?.finalizers).toEqual(['orphan']);
  });

  it('propagationPolicy Background deletes at once', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web'), {});
    await deployments.delete('default', 'web', { propagationPolicy: 'Background' });
    expect((await statusErrorOf(() => deployments.get('default', 'web'))).code).toBe(404);
  });

  it('an unknown propagationPolicy answers 422', async () => {
    const cluster = await testCluster();
    await cluster.registry('configmaps').create('default', configMap('settings'), {});
    const err = await statusErrorOf(() =>
      cluster.registry('configmaps').delete('default', 'settings', { propagationPolicy: 'Sideways' }),
    );
    expect(err.code).toBe(422);
  });

  it('dryRun answers as a delete would and keeps the object', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('settings'), {});
    await configmaps.delete('default', 'settings', { dryRun: ['All'] });
    expect((await configmaps.get('default', 'settings')).metadata?.name).toBe('settings');
  });
});

describe('deleteCollection', () => {
  it('deletes every object the selector selects and returns them', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('a', {}, { team: 'x' }), {});
    await configmaps.create('default', configMap('b', {}, { team: 'x' }), {});
    await configmaps.create('default', configMap('c', {}, { team: 'y' }), {});
    await configmaps.create('kube-system', configMap('d', {}, { team: 'x' }), {});
    const deleted = await configmaps.deleteCollection('default', { labelSelector: 'team=x' }, {});
    expect(deleted.kind).toBe('ConfigMapList');
    expect(names(deleted.items)).toEqual(['a', 'b']);
    expect(names((await configmaps.list(undefined, {})).items)).toEqual(['c', 'd']);
  });
});
