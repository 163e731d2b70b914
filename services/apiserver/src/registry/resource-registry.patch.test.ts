import type { KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { configMap, deployment, pod, statusErrorOf, testCluster } from './test-fixtures.js';

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function spec(object: KubeObject): Record<string, unknown> {
  return object.spec as Record<string, unknown>;
}

describe('patch', () => {
  it('a merge patch changes only what it names', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('settings', { a: '1', b: '2' }), {});
    const { object } = await configmaps.patch('default', 'settings', 'merge', json({ data: { b: null, c: '3' } }), {});
    expect(object.data).toEqual({ a: '1', c: '3' });
  });

  it('a JSON patch applies its operations in order', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web'), {});
    const { object } = await deployments.patch(
      'default',
      'web',
      'json',
      json([
        { op: 'replace', path: '/spec/replicas', value: 4 },
        { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      ]),
      {},
    );
    expect(spec(object).replicas).toBe(4);
    expect(object.metadata?.labels).toEqual({ app: 'web', tier: 'front' });
    expect(object.metadata?.generation).toBe(2);
  });

  it('a strategic merge patch merges containers by name', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web'), {});
    const { object } = await deployments.patch(
      'default',
      'web',
      'strategic',
      json({ spec: { template: { spec: { containers: [{ name: 'main', image: 'busybox:latest' }] } } } }),
      {},
    );
    const containers = (spec(object).template as { spec: { containers: Array<Record<string, unknown>> } }).spec
      .containers;
    expect(containers).toHaveLength(1);
    expect(containers[0].image).toBe('busybox:latest');
  });

  it('a patch carrying a stale resourceVersion answers 409 Conflict', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    const { object } = await configmaps.create('default', configMap('settings', { a: '1' }), {});
    await configmaps.patch('default', 'settings', 'merge', json({ data: { a: '2' } }), {});
    const err = await statusErrorOf(() =>
      configmaps.patch(
        'default',
        'settings',
        'merge',
        json({ metadata: { resourceVersion: object.metadata?.resourceVersion }, data: { a: '3' } }),
        {},
      ),
    );
    expect(err.reason).toBe('Conflict');
  });

  it('concurrent patches without resourceVersion all apply: none is lost', async () => {
    const cluster = await testCluster();
    const configmaps = cluster.registry('configmaps');
    await configmaps.create('default', configMap('settings', {}), {});
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((key) =>
        configmaps.patch('default', 'settings', 'merge', json({ data: { [key]: key } }), {}),
      ),
    );
    expect((await configmaps.get('default', 'settings')).data).toEqual({ a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' });
  });

  it('a patch of the main resource does not change status; a status patch changes only status', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    await pods.create('default', pod('web'), {});
    const main = await pods.patch('default', 'web', 'merge', json({ status: { phase: 'Running' } }), {});
    expect((main.object.status as Record<string, unknown>).phase).toBe('Pending');
    const status = await pods.patch(
      'default',
      'web',
      'merge',
      json({ metadata: { labels: { x: 'y' } }, status: { phase: 'Running' } }),
      { subresource: 'status' },
    );
    expect((status.object.status as Record<string, unknown>).phase).toBe('Running');
    expect(status.object.metadata?.labels).toEqual({ app: 'web' });
  });

  it('a patch that makes the object invalid answers 422 and stores nothing', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const err = await statusErrorOf(() =>
      deployments.patch('default', 'web', 'merge', json({ spec: { replicas: -3 } }), {}),
    );
    expect(err.code).toBe(422);
    expect(await deployments.get('default', 'web')).toEqual(object);
  });

  it('a patch body that is not JSON answers 400', async () => {
    const cluster = await testCluster();
    await cluster.registry('configmaps').create('default', configMap('settings'), {});
    const err = await statusErrorOf(() =>
      cluster.registry('configmaps').patch('default', 'settings', 'merge', Buffer.from('{nope'), {}),
    );
    expect(err.code).toBe(400);
  });

  it('a patch of something that does not exist answers 404', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() =>
      cluster.registry('configmaps').patch('default', 'ghost', 'merge', json({}), {}),
    );
    expect(err.code).toBe(404);
  });

  it('server-side apply is not supported yet: 415', async () => {
    const cluster = await testCluster();
    await cluster.registry('configmaps').create('default', configMap('settings'), {});
    const err = await statusErrorOf(() =>
      cluster.registry('configmaps').patch('default', 'settings', 'apply', json(configMap('settings')), {}),
    );
    expect(err.code).toBe(415);
    expect(err.reason).toBe('UnsupportedMediaType');
  });

  it('a patch that renames the object answers 400', async () => {
    const cluster = await testCluster();
    await cluster.registry('configmaps').create('default', configMap('settings'), {});
    const err = await statusErrorOf(() =>
      cluster.registry('configmaps').patch('default', 'settings', 'merge', json({ metadata: { name: 'other' } }), {}),
    );
    expect(err.code).toBe(400);
  });
});
