import type { KubeObject, OwnerReference, Pod, ReplicaSet } from '@tkube/api';
import { findResource } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedInformers } from '../framework/shared-informers.js';
import { FakeClient } from '../framework/testing/fake-client.js';
import { silentLogger } from '../framework/testing/silent-logger.js';
import type { RunningController } from '../framework/types.js';
import { GarbageCollector } from './garbage-collector.js';

const NS = 'default';
const PODS = { group: '', version: 'v1', resource: 'pods', namespace: NS };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets', namespace: NS };
const RESOURCES = [findResource('', 'v1', 'pods'), findResource('apps', 'v1', 'replicasets')].flatMap((r) =>
  r ? [r] : [],
);

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function setUp(resources = RESOURCES): Promise<FakeClient> {
  const client = new FakeClient();
  const informers = new SharedInformers({ client });
  const gc = new GarbageCollector({ client, informers, logger: silentLogger, resources, workers: 2 });
  informers.start();
  const running: RunningController = gc.run();
  stops.push(
    () => informers.stop(),
    () => running.stop(),
  );
  await informers.waitForSync();
  return client;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function ownedBy(owner: KubeObject, block = true): OwnerReference[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: owner.metadata?.name ?? '',
      uid: owner.metadata?.uid ?? '',
      controller: true,
      blockOwnerDeletion: block,
    },
  ];
}

async function ownerWithPods(client: FakeClient, count: number): Promise<ReplicaSet> {
  const rs = await client.create<ReplicaSet>(RS, { metadata: { name: 'web' } });
  for (let i = 0; i < count; i++) {
    await client.create<Pod>(PODS, { metadata: { name: `web-${i}`, ownerReferences: ownedBy(rs) } });
  }
  return rs;
}

const pods = (client: FakeClient) => client.all<Pod>(PODS, NS);

describe('GarbageCollector', () => {
  it('leaves dependents of a live owner alone', async () => {
    const client = await setUp();
    await ownerWithPods(client, 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pods(client)).toHaveLength(2);
    expect(client.writes.filter((w) => w.verb === 'delete')).toHaveLength(0);
  });

  it('deletes the dependents of a deleted owner (background)', async () => {
    const client = await setUp();
    await ownerWithPods(client, 2);
    await client.delete(RS, 'web');
    await until(() => pods(client).length === 0);
  });

  it('asks the apiserver before collecting a dependent whose owner is not in the cache', async () => {
    // Watching pods only: the owner is never cached, so only the live GET tells it exists.
    const client = await setUp(RESOURCES.filter((info) => info.resource === 'pods'));
    const rs = await client.create<ReplicaSet>(RS, { metadata: { name: 'web' } });
    await client.create<Pod>(PODS, { metadata: { name: 'web-0', ownerReferences: ownedBy(rs) } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pods(client)).toHaveLength(1);
    client.remove(RS, NS, 'web');
    await client.patch(PODS, 'web-0', 'merge', { metadata: { labels: { touched: 'yes' } } });
    await until(() => pods(client).length === 0);
  });

  it('drops a reference to a gone owner but keeps an object that has another owner', async () => {
    const client = await setUp();
    const live = await client.create<ReplicaSet>(RS, { metadata: { name: 'live' } });
    const refs = [...ownedBy({ metadata: { name: 'gone', uid: 'no-such-uid' } }, false), ...ownedBy(live, false)];
    const second = refs[1];
    if (second) second.controller = false;
    await client.create<Pod>(PODS, { metadata: { name: 'shared', ownerReferences: refs } });
    await until(() => client.peek<Pod>(PODS, NS, 'shared')?.metadata?.ownerReferences?.length === 1);
    expect(client.peek<Pod>(PODS, NS, 'shared')?.metadata?.ownerReferences?.[0]?.uid).toBe(live.metadata?.uid);
  });

  it('foreground: deletes the dependents first, then removes the finalizer so the owner goes', async () => {
    const client = await setUp();
    await ownerWithPods(client, 2);
    // Pods that linger while terminating keep the owner waiting.
    for (const pod of pods(client)) {
      await client.patch(PODS, pod.metadata?.name ?? '', 'merge', { metadata: { finalizers: ['hold'] } });
    }
    await client.delete(RS, 'web', { propagationPolicy: 'Foreground' });
    await until(() => pods(client).every((pod) => pod.metadata?.deletionTimestamp));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(client.peek(RS, NS, 'web')).toBeDefined();
    for (const pod of pods(client)) {
      await client.patch(PODS, pod.metadata?.name ?? '', 'merge', { metadata: { finalizers: null } });
    }
    await until(() => client.peek(RS, NS, 'web') === undefined);
  });

  it('orphan: removes the references to the owner from its dependents, then the finalizer', async () => {
    const client = await setUp();
    await ownerWithPods(client, 2);
    await client.delete(RS, 'web', { propagationPolicy: 'Orphan' });
    await until(() => client.peek(RS, NS, 'web') === undefined);
    expect(pods(client)).toHaveLength(2);
    for (const pod of pods(client)) expect(pod.metadata?.ownerReferences).toBeUndefined();
  });
});
