import { describe, expect, it } from 'vitest';
import { formatLabelSelector } from './scale.js';
import { deployment, statusErrorOf, testCluster } from './test-fixtures.js';

describe('scale subresource', () => {
  it('shows replicas and the selector of a Deployment as an autoscaling/v1 Scale', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web', 3), {});
    const scale = await deployments.scale?.get('default', 'web');
    expect(scale).toEqual({
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: 'web',
        namespace: 'default',
        uid: object.metadata?.uid,
        resourceVersion: object.metadata?.resourceVersion,
        creationTimestamp: object.metadata?.creationTimestamp,
      },
      spec: { replicas: 3 },
      status: { replicas: 0, selector: 'app=web' },
    });
  });

  it('writing the scale changes spec.replicas and bumps generation', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web', 3), {});
    const result = await deployments.scale?.update(
      'default',
      'web',
      { metadata: { name: 'web' }, spec: { replicas: 7 } },
      {},
    );
    expect(result?.object.spec?.replicas).toBe(7);
    const stored = await deployments.get('default', 'web');
    expect((stored.spec as Record<string, unknown>).replicas).toBe(7);
    expect(stored.metadata?.generation).toBe(2);
  });

  it('a stale resourceVersion on the scale answers 409; negative replicas 422', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web', 3), {});
    await deployments.scale?.update('default', 'web', { metadata: { name: 'web' }, spec: { replicas: 4 } }, {});
    const stale = await statusErrorOf(async () =>
      deployments.scale?.update(
        'default',
        'web',
        { metadata: { name: 'web', resourceVersion: object.metadata?.resourceVersion }, spec: { replicas: 5 } },
        {},
      ),
    );
    expect(stale.code).toBe(409);
    const negative = await statusErrorOf(async () =>
      deployments.scale?.update('default', 'web', { metadata: { name: 'web' }, spec: { replicas: -1 } }, {}),
    );
    expect(negative.code).toBe(422);
  });

  it('formats set-based selectors as kubectl shows them', () => {
    expect(
      formatLabelSelector({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [
          { key: 'c', operator: 'In', values: ['y', 'x'] },
          { key: 'd', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('a=1,b=2,c in (x,y),!d');
  });
});
