import type { KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { deployment, pod, testCluster } from '../test-fixtures.js';

const REVISION = 'deployment.kubernetes.io/revision';

function replicaSet(name: string): KubeObject {
  const template = deployment(name).spec as Record<string, unknown>;
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, labels: { app: name } }, spec: template };
}

function replicasOf(object: KubeObject): unknown {
  return (object.spec as Record<string, unknown>).replicas;
}

describe('status writes of Deployments and ReplicaSets carry annotations', () => {
  for (const [resource, make] of [
    ['deployments', deployment],
    ['replicasets', replicaSet],
  ] as const) {
    it(`${resource}: a status update takes the body's annotations, keeps spec, labels and generation`, async () => {
      const cluster = await testCluster();
      const registry = cluster.registry(resource);
      const { object } = await registry.create('default', make('web'), {});
      const { object: updated } = await registry.updateStatus(
        'default',
        'web',
        {
          ...object,
          metadata: { ...object.metadata, labels: { hacked: 'yes' }, annotations: { [REVISION]: '1' } },
          spec: { ...(object.spec as Record<string, unknown>), replicas: 50 },
          status: { replicas: 2, observedGeneration: 1 },
        },
        {},
      );
      expect(updated.metadata?.annotations).toEqual({ [REVISION]: '1' });
      expect(updated.metadata?.labels).toEqual({ app: 'web' });
      expect(updated.metadata?.generation).toBe(1);
      expect(replicasOf(updated)).toBe(2);
      expect(updated.status).toEqual({ replicas: 2, observedGeneration: 1 });
      expect(await registry.get('default', 'web')).toEqual(updated);
    });
  }

  it('a status merge patch of a Deployment may add an annotation without bumping generation', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    await deployments.create('default', deployment('web'), {});
    const patch = { metadata: { annotations: { [REVISION]: '3' } }, status: { replicas: 2 } };
    const { object } = await deployments.patch('default', 'web', 'merge', Buffer.from(JSON.stringify(patch)), {
      subresource: 'status',
    });
    expect(object.metadata?.annotations).toEqual({ [REVISION]: '3' });
    expect(object.metadata?.generation).toBe(1);
  });

  it('a main-resource annotation change of a Deployment still bumps generation', async () => {
    const cluster = await testCluster();
    const deployments = cluster.registry('deployments');
    const { object } = await deployments.create('default', deployment('web'), {});
    const { object: updated } = await deployments.update(
      'default',
      'web',
      { ...object, metadata: { ...object.metadata, annotations: { note: 'x' } } },
      {},
    );
    expect(updated.metadata?.generation).toBe(2);
  });

  it('other kinds keep their stored annotations on a status update (a Pod)', async () => {
    const cluster = await testCluster();
    const pods = cluster.registry('pods');
    const created = pod('web');
    created.metadata = { ...created.metadata, annotations: { kept: 'yes' } };
    const { object } = await pods.create('default', created, {});
    const { object: updated } = await pods.updateStatus(
      'default',
      'web',
      { ...object, metadata: { ...object.metadata, annotations: { added: 'no' } }, status: { phase: 'Running' } },
      {},
    );
    expect(updated.metadata?.annotations).toEqual({ kept: 'yes' });
    expect((updated.status as Record<string, unknown>).phase).toBe('Running');
  });
});
