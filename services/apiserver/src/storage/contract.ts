/**
 * The Storage contract as tests: every implementation runs this one suite (in memory as
 * a unit test, NATS JetStream KV as an integration test). Each test writes under its own
 * namespace, so a suite may share one bucket across tests; no test assumes revisions
 * start anywhere in particular.
 */
import type { KubeObject } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { storageKey, storagePrefix } from './keys.js';
import {
  KeyExistsError,
  RevisionCompactedError,
  RevisionMismatchError,
  type Storage,
  type StorageEvent,
  type StorageSnapshot,
  type StorageWatch,
} from './types.js';

export interface ContractStorageOptions {
  /** Events of history to keep (only the compaction tests ask for a small window). */
  windowSize?: number;
}

const configMaps = { group: '', resource: 'configmaps' };
const runId = Date.now().toString(36);
let namespaceCounter = 0;

function freshNamespace(): string {
  namespaceCounter += 1;
  return `contract-${runId}-${namespaceCounter}`;
}

function configMap(namespace: string, name: string, value: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { value } };
}

function dataValue(object: KubeObject | undefined): unknown {
  return (object?.data as Record<string, unknown> | undefined)?.value;
}

/** Reads `count` events, failing after timeoutMs. */
async function take(watch: StorageWatch, count: number, timeoutMs = 10_000): Promise<StorageEvent[]> {
  const events: StorageEvent[] = [];
  if (count === 0) return events;
  const iterator = watch.events[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out with ${events.length} of ${count} events`)), timeoutMs);
  });
  try {
    while (events.length < count) {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) throw new Error(`watch ended after ${events.length} of ${count} events`);
      events.push(result.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** Whether another event arrives within quietMs (it should not, once all were taken). */
async function anotherEventWithin(watch: StorageWatch, quietMs: number): Promise<boolean> {
  const iterator = watch.events[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const quiet = new Promise<'quiet'>((resolve) => {
    timer = setTimeout(() => resolve('quiet'), quietMs);
  });
  const outcome = await Promise.race([iterator.next(), quiet]);
  clearTimeout(timer);
  return outcome !== 'quiet' && !outcome.done;
}

export function describeStorageContract(
  name: string,
  makeStorage: (options?: ContractStorageOptions) => Promise<Storage>,
  cleanup: (storage: Storage) => Promise<void> = (storage) => storage.close(),
): void {
  describe(`Storage contract: ${name}`, () => {
    const opened: Storage[] = [];
    const open = async (options?: ContractStorageOptions): Promise<Storage> => {
      const storage = await makeStorage(options);
      opened.push(storage);
      return storage;
    };
    afterEach(async () => {
      for (const storage of opened.splice(0)) await cleanup(storage);
    });

    it('creates and gets an object with its revision', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a.b');
      const revision = await storage.create(key, configMap(ns, 'a.b', 'one'));
      const stored = await storage.get(key);
      expect(stored?.key).toBe(key);
      expect(stored?.revision).toBe(revision);
      expect(dataValue(stored?.object)).toBe('one');
      expect(stored?.object.metadata?.resourceVersion).toBe(String(revision));
      expect(await storage.get(storageKey(configMaps, ns, 'missing'))).toBeUndefined();
    });

    it('peeks at the cached value once a consistent read has seen the write', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'peeked');
      const revision = await storage.create(key, configMap(ns, 'peeked', 'one'));
      await storage.list(storagePrefix(configMaps, ns));
      expect(storage.peek(key)?.revision).toBe(revision);
      await storage.delete(key, revision);
      await storage.list(storagePrefix(configMaps, ns));
      expect(storage.peek(key)).toBeUndefined();
    });

    it('refuses to create a key that holds a live value', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      await storage.create(key, configMap(ns, 'a', 'one'));
      await expect(storage.create(key, configMap(ns, 'a', 'two'))).rejects.toBeInstanceOf(KeyExistsError);
      expect(dataValue((await storage.get(key))?.object)).toBe('one');
    });

    it('updates only at the expected revision', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      const created = await storage.create(key, configMap(ns, 'a', 'one'));
      const updated = await storage.update(key, configMap(ns, 'a', 'two'), created);
      expect(updated).toBeGreaterThan(created);
      const stale = storage.update(key, configMap(ns, 'a', 'three'), created);
      await expect(stale).rejects.toBeInstanceOf(RevisionMismatchError);
      await expect(stale).rejects.toMatchObject({ key, expected: created });
      const stored = await storage.get(key);
      expect(dataValue(stored?.object)).toBe('two');
      expect(stored?.revision).toBe(updated);
    });

    it('refuses to update a key that does not exist', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'ghost');
      await expect(storage.update(key, configMap(ns, 'ghost', 'x'), 1)).rejects.toMatchObject({
        name: 'RevisionMismatchError',
        actual: undefined,
      });
    });

    it('deletes, at the expected revision when one is given', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      const created = await storage.create(key, configMap(ns, 'a', 'one'));
      const updated = await storage.update(key, configMap(ns, 'a', 'two'), created);
      await expect(storage.delete(key, created)).rejects.toBeInstanceOf(RevisionMismatchError);
      const deleted = await storage.delete(key, updated);
      expect(deleted).toBeGreaterThan(updated);
      expect(await storage.get(key)).toBeUndefined();
      await expect(storage.delete(key)).rejects.toBeInstanceOf(RevisionMismatchError);
      await expect(storage.update(key, configMap(ns, 'a', 'three'), updated)).rejects.toBeInstanceOf(
        RevisionMismatchError,
      );

      const other = storageKey(configMaps, ns, 'b');
      await storage.create(other, configMap(ns, 'b', 'one'));
      expect(await storage.delete(other)).toBeGreaterThan(deleted);
      expect(await storage.get(other)).toBeUndefined();
    });

    it('creates a key again after its delete', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      const first = await storage.create(key, configMap(ns, 'a', 'one'));
      const deleted = await storage.delete(key);
      const again = await storage.create(key, configMap(ns, 'a', 'again'));
      expect(again).toBeGreaterThan(deleted);
      expect(deleted).toBeGreaterThan(first);
      const stored = await storage.get(key);
      expect(dataValue(stored?.object)).toBe('again');
      expect(stored?.revision).toBe(again);
      await expect(storage.create(key, configMap(ns, 'a', 'twice'))).rejects.toBeInstanceOf(KeyExistsError);
    });

    it('keeps the stored value apart from the caller’s objects', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      const object = configMap(ns, 'a', 'one');
      await storage.create(key, object);
      (object.data as Record<string, unknown>).value = 'changed by the caller';
      const read = await storage.get(key);
      expect(dataValue(read?.object)).toBe('one');
    });

    it('numbers revisions across the whole store', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const a = await storage.create(storageKey(configMaps, ns, 'a'), configMap(ns, 'a', '1'));
      const b = await storage.create(storageKey(configMaps, freshNamespace(), 'b'), configMap(ns, 'b', '1'));
      expect(b).toBeGreaterThan(a);
      expect(await storage.currentRevision()).toBeGreaterThanOrEqual(b);
    });

    it('lists the live objects of a prefix, sorted, at one revision, after every acknowledged write', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const otherNs = freshNamespace();
      const names = ['c', 'a.x', 'b', 'a'];
      const revisions = new Map<string, number>();
      for (const n of names) revisions.set(n, await storage.create(storageKey(configMaps, ns, n), configMap(ns, n, n)));
      await storage.create(storageKey(configMaps, otherNs, 'z'), configMap(otherNs, 'z', 'z'));
      await storage.delete(storageKey(configMaps, ns, 'b'));
      const last = await storage.update(
        storageKey(configMaps, ns, 'c'),
        configMap(ns, 'c', 'c2'),
        revisions.get('c') ?? 0,
      );

      const snapshot = await storage.list(storagePrefix(configMaps, ns));
      expect(snapshot.revision).toBeGreaterThanOrEqual(last);
      expect(snapshot.items.map((item) => item.object.metadata?.name)).toEqual(['a', 'a.x', 'c']);
      expect(snapshot.items.map((item) => item.revision)).toEqual([revisions.get('a'), revisions.get('a.x'), last]);
      expect(dataValue(snapshot.items[2].object)).toBe('c2');

      const both = await storage.list(storagePrefix(configMaps));
      const namespaces = new Set(both.items.map((item) => item.object.metadata?.namespace));
      expect(namespaces.has(ns) && namespaces.has(otherNs)).toBe(true);
    });

    it('lists at an older revision as the store was then', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const prefix = storagePrefix(configMaps, ns);
      const keyA = storageKey(configMaps, ns, 'a');
      const keyB = storageKey(configMaps, ns, 'b');
      const a1 = await storage.create(keyA, configMap(ns, 'a', 'a1'));
      const b1 = await storage.create(keyB, configMap(ns, 'b', 'b1'));
      const then = b1;
      const a2 = await storage.update(keyA, configMap(ns, 'a', 'a2'), a1);
      await storage.delete(keyB, b1);
      await storage.create(storageKey(configMaps, ns, 'c'), configMap(ns, 'c', 'c1'));
      await storage.list(prefix); // the newest state is known before looking back

      const old = await storage.list(prefix, then);
      expect(old.revision).toBe(then);
      expect(old.items.map((item) => [item.key, dataValue(item.object), item.revision])).toEqual([
        [keyA, 'a1', a1],
        [keyB, 'b1', b1],
      ]);
      const afterUpdate = await storage.list(prefix, a2);
      expect(afterUpdate.items.map((item) => dataValue(item.object))).toEqual(['a2', 'b1']);
    });

    it('refuses to list at a revision the store has not reached', async () => {
      const storage = await open();
      const current = await storage.currentRevision();
      await expect(storage.list(storagePrefix(configMaps), current + 1_000_000)).rejects.toMatchObject({
        code: 504,
        reason: 'Timeout',
      });
    });

    it('refuses, after a short wait, to watch from a revision the store has not reached', async () => {
      // A client that saw a store since made anew must be told to relist, not left waiting.
      const storage = await open();
      const current = await storage.currentRevision();
      await expect(storage.watch(storagePrefix(configMaps), current + 1_000_000)).rejects.toMatchObject({
        code: 504,
        reason: 'Timeout',
      });
    });

    it('watches every later event once, in order, with previous values and last values on delete', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      const start = await storage.currentRevision();
      const watch = await storage.watch(storagePrefix(configMaps, ns), start);
      const created = await storage.create(key, configMap(ns, 'a', 'one'));
      const updated = await storage.update(key, configMap(ns, 'a', 'two'), created);
      const deleted = await storage.delete(key, updated);
      const recreated = await storage.create(key, configMap(ns, 'a', 'three'));

      const events = await take(watch, 4);
      expect(events.map((e) => [e.type, e.revision, dataValue(e.object), dataValue(e.previous)])).toEqual([
        ['put', created, 'one', undefined],
        ['put', updated, 'two', 'one'],
        ['delete', deleted, 'two', 'two'],
        ['put', recreated, 'three', undefined],
      ]);
      expect(events.every((e) => e.key === key)).toBe(true);
      expect(await anotherEventWithin(watch, 100)).toBe(false);
      watch.stop();
    });

    it('replays kept events from an older revision, then follows new ones', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const keyA = storageKey(configMaps, ns, 'a');
      const a1 = await storage.create(keyA, configMap(ns, 'a', 'a1'));
      const a2 = await storage.update(keyA, configMap(ns, 'a', 'a2'), a1);
      const b1 = await storage.create(storageKey(configMaps, ns, 'b'), configMap(ns, 'b', 'b1'));
      await storage.list(storagePrefix(configMaps, ns));

      const watch = await storage.watch(storagePrefix(configMaps, ns), a1);
      const a3 = await storage.update(keyA, configMap(ns, 'a', 'a3'), a2);
      const events = await take(watch, 3);
      expect(events.map((e) => e.revision)).toEqual([a2, b1, a3]);
      watch.stop();
    });

    it('delivers every write once, in revision order, under concurrent writers', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const start = await storage.currentRevision();
      const watch = await storage.watch(storagePrefix(configMaps, ns), start);
      const writers = 4;
      const perWriter = 25;
      const writeRevisions: number[] = [];
      // Lists taken while the writers run are each consistent at their own revision.
      const snapshotsDuringWrites: Promise<StorageSnapshot>[] = [];
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let i = 0; i < perWriter; i++) {
            const name = `w${writer}-${i % 5}`;
            const key = storageKey(configMaps, ns, name);
            if (i % 10 === 0) snapshotsDuringWrites.push(storage.list(storagePrefix(configMaps, ns)));
            const current = await storage.get(key);
            if (!current) writeRevisions.push(await storage.create(key, configMap(ns, name, `${i}`)));
            else if (i % 7 === 0) writeRevisions.push(await storage.delete(key, current.revision));
            else writeRevisions.push(await storage.update(key, configMap(ns, name, `${i}`), current.revision));
          }
        }),
      );
      for (const snapshot of await Promise.all(snapshotsDuringWrites)) {
        expect(snapshot.items.every((item) => item.revision <= snapshot.revision)).toBe(true);
        for (const item of snapshot.items) expect(writeRevisions).toContain(item.revision);
      }
      const events = await take(watch, writeRevisions.length);
      const seen = events.map((e) => e.revision);
      expect(seen).toEqual([...writeRevisions].sort((x, y) => x - y));
      expect(await anotherEventWithin(watch, 100)).toBe(false);
      watch.stop();
    });

    it('watches only its own prefix', async () => {
      const storage = await open();
      const ns = freshNamespace();
      const otherNs = freshNamespace();
      const start = await storage.currentRevision();
      const namespaceWatch = await storage.watch(storagePrefix(configMaps, ns), start);
      const resourceWatch = await storage.watch(storagePrefix(configMaps), start);
      await storage.create(storageKey(configMaps, otherNs, 'x'), configMap(otherNs, 'x', 'x'));
      await storage.create(storageKey({ group: '', resource: 'configmapsx' }, ns, 'y'), configMap(ns, 'y', 'y'));
      const mine = await storage.create(storageKey(configMaps, ns, 'a'), configMap(ns, 'a', 'a'));

      const [event] = await take(namespaceWatch, 1);
      expect(event.revision).toBe(mine);
      const resourceEvents = await take(resourceWatch, 2);
      expect(resourceEvents.map((e) => e.object.metadata?.name)).toEqual(['x', 'a']);
      namespaceWatch.stop();
      resourceWatch.stop();
    });

    it('ends the event stream when the watch is stopped', async () => {
      const storage = await open();
      const watch = await storage.watch(storagePrefix(configMaps, freshNamespace()), await storage.currentRevision());
      const iterator = watch.events[Symbol.asyncIterator]();
      const next = iterator.next();
      watch.stop();
      expect((await next).done).toBe(true);
    });

    it('refuses watches and lists older than the kept history', async () => {
      const storage = await open({ windowSize: 5 });
      const ns = freshNamespace();
      const key = storageKey(configMaps, ns, 'a');
      const revisions = [await storage.create(key, configMap(ns, 'a', '0'))];
      for (let i = 1; i <= 10; i++)
        revisions.push(await storage.update(key, configMap(ns, 'a', `${i}`), revisions[i - 1]));
      await storage.list(storagePrefix(configMaps, ns));

      await expect(storage.watch(storagePrefix(configMaps, ns), revisions[0])).rejects.toBeInstanceOf(
        RevisionCompactedError,
      );
      await expect(storage.list(storagePrefix(configMaps, ns), revisions[0])).rejects.toBeInstanceOf(
        RevisionCompactedError,
      );
      const recent = await storage.watch(storagePrefix(configMaps, ns), revisions[8]);
      expect((await take(recent, 2)).map((e) => e.revision)).toEqual([revisions[9], revisions[10]]);
      recent.stop();
    });
  });
}
