import type { Pod, ReplicaSet } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedInformers } from '../framework/shared-informers.js';
import { FakeClient } from '../framework/testing/fake-client.js';
import { silentLogger } from '../framework/testing/silent-logger.js';
import type { RunningController } from '../framework/types.js';
import { PODS, REPLICASETS, ReplicaSetController } from './replicaset-controller.js';

const NS = 'default';

function replicaSet(replicas: number): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { namespace: NS, name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    },
  };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Harness {
  client: FakeClient;
  informers: SharedInformers;
  controller: ReplicaSetController;
  running?: RunningController;
}

const harnesses: Harness[] = [];

async function setUp(run = true): Promise<Harness> {
  const client = new FakeClient();
  const informers = new SharedInformers({ client });
  const controller = new ReplicaSetController({ client, informers, logger: silentLogger, workers: 2 });
  informers.start();
  await informers.waitForSync();
  const harness: Harness = { client, informers, controller, running: run ? controller.run() : undefined };
  harnesses.push(harness);
  return harness;
}

afterEach(async () => {
  for (const harness of harnesses.splice(0)) {
    await harness.running?.stop();
    await harness.informers.stop();
  }
});

const podsOf = (client: FakeClient) => client.all<Pod>(PODS, NS).filter((pod) => !pod.metadata?.deletionTimestamp);
const creates = (client: FakeClient) => client.writes.filter((w) => w.verb === 'create' && w.resource === 'pods');

describe('ReplicaSetController', () => {
  it('creates the missing pods from the template, owned by the ReplicaSet, and reports status', async () => {
    const { client } = await setUp();
    const rs = await client.create({ ...REPLICASETS, namespace: NS }, replicaSet(3));
    await until(() => podsOf(client).length === 3);
    for (const pod of podsOf(client)) {
      expect(pod.metadata?.name).toMatch(/^web-/);
      expect(pod.metadata?.labels).toEqual({ app: 'web' });
      expect(pod.metadata?.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    await until(() => client.peek<ReplicaSet>(REPLICASETS, NS, 'web')?.status?.replicas === 3);
    expect(client.peek<ReplicaSet>(REPLICASETS, NS, 'web')?.status).toMatchObject({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 1,
    });
    expect(creates(client)).toHaveLength(3);
  });

  it('replaces a deleted pod', async () => {
    const { client } = await setUp();
    await client.create({ ...REPLICASETS, namespace: NS }, replicaSet(2));
    await until(() => podsOf(client).length === 2);
    const victim = podsOf(client)[0]?.metadata?.name ?? '';
    await client.delete({ ...PODS, namespace: NS }, victim);
    await until(() => podsOf(client).length === 2 && creates(client).length === 3);
    expect(podsOf(client).map((pod) => pod.metadata?.name)).not.toContain(victim);
  });

  it('scales down by deleting the least valuable pods first', async () => {
    const { client } = await setUp(false);
    const rs = client.seed({ ...REPLICASETS, namespace: NS }, replicaSet(1));
    const owner = [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid ?? '', controller: true },
    ];
    const pod = (name: string, nodeName: string | undefined, phase: string, ready: boolean): Pod => ({
      metadata: { namespace: NS, name, labels: { app: 'web' }, ownerReferences: owner },
      spec: { containers: [{ name: 'c' }], ...(nodeName ? { nodeName } : {}) },
      status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    });
    client.seed({ ...PODS, namespace: NS }, pod('running-ready', 'n1', 'Running', true));
    client.seed({ ...PODS, namespace: NS }, pod('unassigned', undefined, 'Pending', false));
    client.seed({ ...PODS, namespace: NS }, pod('running-unready', 'n1', 'Running', false));
    const { controller, informers } = harnesses[0] as Harness;
    await until(() => informers.informerFor(PODS).cache.size === 3);
    await controller.sync(`${NS}/web`);
    expect(podsOf(client).map((p) => p.metadata?.name)).toEqual(['running-ready']);
  });

  it('adopts a matching orphan and releases an owned pod that stopped matching', async () => {
    const { client } = await setUp();
    client.seed(
      { ...PODS, namespace: NS },
      {
        metadata: { namespace: NS, name: 'orphan', labels: { app: 'web' } },
        spec: { containers: [{ name: 'c' }] },
      },
    );
    const rs = await client.create({ ...REPLICASETS, namespace: NS }, replicaSet(1));
    await until(() => client.peek<Pod>(PODS, NS, 'orphan')?.metadata?.ownerReferences?.[0]?.uid === rs.metadata?.uid);
    expect(client.peek<Pod>(PODS, NS, 'orphan')?.metadata?.ownerReferences?.[0]).toMatchObject({
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(creates(client)).toHaveLength(0);

    await client.patch({ ...PODS, namespace: NS }, 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
    await until(() => client.peek<Pod>(PODS, NS, 'orphan')?.metadata?.ownerReferences === undefined);
    await until(() => podsOf(client).length === 2);
  });

  it('never creates extra pods when syncs come faster than the cache', async () => {
    const { client, controller, informers } = await setUp(false);
    client.seed({ ...REPLICASETS, namespace: NS }, replicaSet(3));
    await until(() => informers.informerFor(REPLICASETS).cache.size === 1);
    client.holdEvents();
    await controller.sync(`${NS}/web`);
    // The cache has not seen the new pods yet; expectations hold the next syncs back.
    await controller.sync(`${NS}/web`);
    await controller.sync(`${NS}/web`);
    expect(creates(client)).toHaveLength(3);
    client.releaseEvents();
    await until(() => controller.expectations.satisfied(`${NS}/web`));
    await controller.sync(`${NS}/web`);
    expect(creates(client)).toHaveLength(3);
  });

  it('does not count pods being deleted as active', async () => {
    const { client } = await setUp();
    const rs = client.seed({ ...REPLICASETS, namespace: NS }, replicaSet(1));
    client.seed(
      { ...PODS, namespace: NS },
      {
        metadata: {
          namespace: NS,
          name: 'leaving',
          labels: { app: 'web' },
          deletionTimestamp: new Date().toISOString(),
          finalizers: ['x'],
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid ?? '', controller: true },
          ],
        },
        spec: { containers: [{ name: 'c' }] },
      },
    );
    await until(() => creates(client).length === 1);
  });
});
