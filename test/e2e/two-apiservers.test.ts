/**
 * Two apiserver processes on one NATS (the HA shape): a write through one is seen by a
 * watch through the other, both ways, with the same uid and resourceVersion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { type ExtraApiServer, startExtraApiServer } from './harness/extra-apiserver.js';
import type { WatchEventLine } from './harness/raw-api.js';
import { waitUntil } from './harness/wait.js';

const NS = 'shared';
let cluster: TestCluster;
let second: ExtraApiServer | undefined;

beforeAll(async () => {
  cluster = await startTestCluster();
  second = await startExtraApiServer(cluster, 'second');
});
afterAll(async () => {
  await second?.stop();
  await cluster?.destroy();
});

// Written with apply (JSON); acceptance.test.ts covers kubectl create's protobuf bodies.
function configMap(name: string, data: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
}

function otherServer(): ExtraApiServer {
  if (!second) throw new Error('the second apiserver did not start');
  return second;
}

describe('two apiservers on one NATS', () => {
  it('serve the same objects', async () => {
    await cluster.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }),
    });
    const viaFirst = await cluster.kubectl(['get', 'ns', NS, '-o', 'jsonpath={.metadata.uid}']);
    await waitUntil(
      'the namespace on the second apiserver',
      async () => (await otherServer().kubectl.result(['get', 'ns', NS])).code === 0,
    );
    expect(await otherServer().kubectl(['get', 'ns', NS, '-o', 'jsonpath={.metadata.uid}'])).toBe(viaFirst);
  });

  it('a write through the first is seen by a watch through the second, and back', async () => {
    const other = otherServer();
    const onSecond: WatchEventLine[] = [];
    const onFirst: WatchEventLine[] = [];
    const rv = JSON.parse(await other.kubectl(['get', 'cm', '-n', NS, '-o', 'json'])).metadata
      .resourceVersion as string;
    const watchSecond = other.api.watch(`/api/v1/namespaces/${NS}/configmaps?resourceVersion=${rv}`, (e) =>
      onSecond.push(e),
    );
    const watchFirst = cluster.api.watch(`/api/v1/namespaces/${NS}/configmaps?resourceVersion=${rv}`, (e) =>
      onFirst.push(e),
    );
    try {
      await Promise.all([watchSecond.opened, watchFirst.opened]);
      await cluster.kubectl(['apply', '-n', NS, '-f', '-'], { input: configMap('from-first', { a: '1' }) });
      await waitUntil('the second apiserver to tell of from-first', () =>
        onSecond.some((e) => e.type === 'ADDED' && e.object.metadata?.name === 'from-first'),
      );
      await other.kubectl(['apply', '-n', NS, '-f', '-'], { input: configMap('from-second', { b: '2' }) });
      // Both watches must have told of it before they stop: each apiserver sends at its own pace.
      await waitUntil('both apiservers to tell of from-second', () =>
        [onFirst, onSecond].every((events) =>
          events.some((e) => e.type === 'ADDED' && e.object.metadata?.name === 'from-second'),
        ),
      );
    } finally {
      watchSecond.stop();
      watchFirst.stop();
    }
    const seen = (events: WatchEventLine[], name: string) =>
      events.find((e) => e.object.metadata?.name === name)?.object.metadata;
    const stored = JSON.parse(await cluster.kubectl(['get', 'cm', 'from-first', '-n', NS, '-o', 'json'])).metadata;
    expect(seen(onSecond, 'from-first')).toMatchObject({ uid: stored.uid, resourceVersion: stored.resourceVersion });
    // Both watches tell the same history in the same order.
    const names = (events: WatchEventLine[]) =>
      events.map((e) => `${e.type} ${e.object.metadata?.name}@${e.object.metadata?.resourceVersion}`);
    expect(names(onFirst)).toEqual(names(onSecond));
  });

  it('an update through one is a conflict for a stale write through the other', async () => {
    const stale = await otherServer().kubectl(['get', 'cm', 'from-first', '-n', NS, '-o', 'json']);
    await cluster.kubectl(['label', 'cm', 'from-first', '-n', NS, 'moved=on']);
    const replaced = await otherServer().kubectl.result(['replace', '-f', '-'], { input: stale });
    expect(replaced.code).not.toBe(0);
    expect(replaced.stderr).toContain(
      'Operation cannot be fulfilled on configmaps "from-first": the object has been modified',
    );
  });
});
