/**
 * NATS restarts under an open watch: the server is killed (SIGKILL) and started again on
 * the same data. Every acknowledged write survives, and the watch sees each write made
 * before and after the restart exactly once, in order, without the cache reloading.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type NatsServerHandle, startNatsServer } from '../testing/nats-server.js';
import { storageKey, storagePrefix } from './keys.js';
import { NatsStorage } from './nats-storage.js';
import type { StorageEvent, StorageWatch } from './types.js';

const configMaps = { group: '', resource: 'configmaps' };
const configMap = (name: string, value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'restart' },
  data: { value },
});

/** Retries a write until NATS is back (bounded): only acknowledged writes are counted. */
async function eventually<T>(write: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await write();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function take(watch: StorageWatch, count: number, timeoutMs: number): Promise<StorageEvent[]> {
  const events: StorageEvent[] = [];
  const iterator = watch.events[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out with ${events.length} of ${count} events`);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      }),
    ]);
    clearTimeout(timer);
    if (result === 'timeout') continue;
    if (result.done) throw new Error(`watch ended after ${events.length} of ${count} events`);
    events.push(result.value);
  }
  return events;
}

describe('NatsStorage across a NATS restart', () => {
  let nats: NatsServerHandle | undefined;
  const storages: NatsStorage[] = [];

  afterEach(async () => {
    for (const storage of storages.splice(0)) await storage.close();
    await nats?.stop();
  });

  it('loses no acknowledged write and delivers every event once', async () => {
    nats = await startNatsServer();
    const watching = await NatsStorage.open({ servers: nats.url, requestTimeoutMs: 2_000 });
    const writing = await NatsStorage.open({ servers: nats.url, requestTimeoutMs: 2_000 });
    storages.push(watching, writing);
    const watch = await watching.watch(storagePrefix(configMaps, 'restart'), await watching.currentRevision());

    const acknowledged: number[] = [];
    const revisionOf = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const name = `before-${i}`;
      const revision = await writing.create(storageKey(configMaps, 'restart', name), configMap(name, 'v1'));
      acknowledged.push(revision);
      revisionOf.set(name, revision);
    }
    // Updates too, so a resume that started at the wrong place would show.
    for (let i = 0; i < 5; i++) {
      const name = `before-${i}`;
      const revision = await writing.update(
        storageKey(configMaps, 'restart', name),
        configMap(name, 'v2'),
        revisionOf.get(name) ?? 0,
      );
      acknowledged.push(revision);
      revisionOf.set(name, revision);
    }

    await nats.kill();
    await nats.restart();

    for (let i = 0; i < 20; i++) {
      const name = `after-${i}`;
      const key = storageKey(configMaps, 'restart', name);
      const revision = await eventually(async () => {
        // A write whose acknowledgement was lost may still have landed: count it once.
        const existing = await writing.get(key);
        return existing ? existing.revision : writing.create(key, configMap(name, 'v1'));
      });
      acknowledged.push(revision);
      revisionOf.set(name, revision);
    }

    const events = await take(watch, acknowledged.length, 30_000);
    expect(events.map((e) => e.revision)).toEqual(acknowledged);
    const quiet = await Promise.race([
      watch.events[Symbol.asyncIterator]().next(),
      new Promise((resolve) => setTimeout(() => resolve('quiet'), 300)),
    ]);
    expect(quiet).toBe('quiet');
    expect(watching.cacheLoads).toBe(1);

    // A fresh apiserver finds every acknowledged write.
    const fresh = await NatsStorage.open({ servers: nats.url });
    storages.push(fresh);
    const snapshot = await fresh.list(storagePrefix(configMaps, 'restart'));
    expect(new Map(snapshot.items.map((item) => [item.object.metadata?.name, item.revision]))).toEqual(revisionOf);
    expect(snapshot.items.filter((item) => (item.object.data as { value: string }).value === 'v2')).toHaveLength(5);
  });

  it('reloads and ends open watches when events were lost while it was away', async () => {
    nats = await startNatsServer();
    // Slow to reconnect, so that the other apiserver writes while this one is away.
    const watching = await NatsStorage.open({ servers: nats.url, requestTimeoutMs: 2_000, reconnectWaitMs: 2_000 });
    storages.push(watching);
    const key = storageKey(configMaps, 'restart', 'hot');
    const created = await watching.create(key, configMap('hot', 'v1'));
    const watch = await watching.watch(storagePrefix(configMaps, 'restart'), created);

    // Another apiserver updates the key twice while this one's connection is down; the
    // bucket keeps one value per key, so the first update can never reach this cache.
    await nats.kill();
    await nats.restart();
    const other = await NatsStorage.open({ servers: nats.url });
    storages.push(other);
    const updated = await other.update(key, configMap('hot', 'v2'), created);
    const last = await other.update(key, configMap('hot', 'v3'), updated);

    // The watch ends (the client relists) rather than skip the lost event silently.
    const seen: number[] = [];
    for await (const event of watch.events) seen.push(event.revision);
    expect(seen).not.toContain(last);
    const snapshot = await eventually(() => watching.list(storagePrefix(configMaps, 'restart')));
    expect(snapshot.items.map((item) => item.revision)).toEqual([last]);
    expect(watching.cacheLoads).toBe(2);
  });
});
