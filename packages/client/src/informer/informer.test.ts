import type { KubeList, KubeObject, WatchEvent } from '@tkube/api';
import { StatusError } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { ListOptions, ResourceTarget, WatchOptions, WatchStream } from '../types.js';
import type { InformerOptions, ListWatchClient } from './informer.js';
import { Informer } from './informer.js';

const CONFIGMAPS: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps' };

/** Events for one watch: pushed by the server, iterated by the informer. */
class Channel {
  private readonly buffered: WatchEvent[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private error: StatusError | undefined;

  push(event: WatchEvent): void {
    this.buffered.push(structuredClone(event));
    this.wake?.();
  }

  close(error?: StatusError): void {
    this.ended = true;
    this.error = error;
    this.wake?.();
  }

  async *iterate(): AsyncGenerator<WatchEvent> {
    for (;;) {
      const next = this.buffered.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.error) throw this.error;
      if (this.ended) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = undefined;
    }
  }
}

/**
 * An apiserver in miniature: one revision counter, a history to watch from, compaction
 * (410 for versions it no longer keeps) and a reset that loses everything, like a
 * restart over fresh storage.
 */
class FakeServer implements ListWatchClient {
  private objects = new Map<string, KubeObject>();
  private revision = 0;
  private history: Array<{ revision: number; event: WatchEvent }> = [];
  private oldestKept = 0;
  private uids = 0;
  private readonly live = new Set<Channel>();
  /** Lists that fail (ServiceUnavailable) before one succeeds. */
  failLists = 0;
  /** Replays the whole history on every watch, whatever version was asked (a sloppy server). */
  replayEverything = false;
  readonly listCalls: ListOptions[] = [];
  readonly watchCalls: WatchOptions[] = [];

  put(name: string, data: Record<string, string>, namespace = 'default'): KubeObject {
    const key = `${namespace}/${name}`;
    const existing = this.objects.get(key);
    const object: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name,
        namespace,
        uid: existing?.metadata?.uid ?? `uid-${++this.uids}`,
        resourceVersion: String(++this.revision),
      },
      data,
    };
    this.objects.set(key, object);
    this.record({ type: existing ? 'MODIFIED' : 'ADDED', object });
    return object;
  }

  remove(name: string, namespace = 'default'): void {
    const key = `${namespace}/${name}`;
    const existing = this.objects.get(key);
    if (!existing) throw new Error(`no ${key}`);
    this.objects.delete(key);
    const object = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(++this.revision) } };
    this.record({ type: 'DELETED', object });
  }

  bookmark(): void {
    const object: KubeObject = {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: { resourceVersion: String(++this.revision) },
    };
    for (const channel of this.live) channel.push({ type: 'BOOKMARK', object });
  }

  /** Forgets the history: watches from any version before now answer 410. */
  compact(): void {
    this.history = [];
    this.oldestKept = this.revision;
  }

  /** Loses every object and the revision counter, as a server restarted on empty storage. */
  reset(): void {
    this.objects.clear();
    this.history = [];
    this.revision = 0;
    this.oldestKept = 0;
    this.dropWatches();
  }

  dropWatches(error?: StatusError): void {
    for (const channel of this.live) channel.close(error);
    this.live.clear();
  }

  state(): Record<string, KubeObject> {
    return Object.fromEntries([...this.objects.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  async list<T extends KubeObject>(_target: ResourceTarget, options: ListOptions = {}): Promise<KubeList<T>> {
    this.listCalls.push(options);
    if (this.failLists > 0) {
      this.failLists--;
      throw StatusError.unavailable('the server is starting');
    }
    // Lists omit apiVersion and kind per item, as kube-apiserver's do.
    const all = Object.values(this.state()).map(({ apiVersion: _a, kind: _k, ...rest }) => structuredClone(rest) as T);
    const offset = options.continue ? Number(options.continue) : 0;
    const end = options.limit ? offset + options.limit : all.length;
    const metadata: Record<string, string> = { resourceVersion: String(this.revision) };
    if (end < all.length) metadata.continue = String(end);
    return { apiVersion: 'v1', kind: 'ConfigMapList', metadata, items: all.slice(offset, end) };
  }

  watch<T extends KubeObject>(_target: ResourceTarget, options: WatchOptions = {}): WatchStream<T> {
    this.watchCalls.push(options);
    const from = Number(options.resourceVersion ?? '0');
    const channel = new Channel();
    if (!this.replayEverything && (from < this.oldestKept || from > this.revision)) {
      channel.close(StatusError.expired(`too old resource version: ${from} (${this.oldestKept})`));
    } else {
      for (const { revision, event } of this.history) {
        if (this.replayEverything || revision > from) channel.push(event);
      }
      this.live.add(channel);
    }
    return {
      [Symbol.asyncIterator]: () => channel.iterate() as AsyncIterator<WatchEvent<T>>,
      stop: () => {
        channel.close();
        this.live.delete(channel);
      },
    };
  }

  private record(event: WatchEvent): void {
    this.history.push({ revision: this.revision, event });
    for (const channel of this.live) channel.push(event);
  }
}

/** What the handlers saw, in order, as short strings. */
function recorder(informer: Informer): string[] {
  const seen: string[] = [];
  const describe = (o: KubeObject) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`;
  informer.addEventHandler({
    onAdd: (o) => seen.push(`add ${describe(o)}`),
    onUpdate: (a, b) => seen.push(`update ${describe(a)} -> ${describe(b)}`),
    onDelete: (o) => seen.push(`delete ${o.metadata?.name}`),
  });
  return seen;
}

async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 2));
    }
  }
}

function cachedState(informer: Informer): Record<string, KubeObject> {
  const keys = informer.cache.keys().sort();
  return Object.fromEntries(keys.map((k) => [k, informer.cache.get(k) as KubeObject]));
}

describe('Informer', () => {
  const informers: Informer[] = [];
  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
  });

  function follow(server: FakeServer, options: Partial<InformerOptions<KubeObject>> = {}): Informer {
    const informer = new Informer({
      client: server,
      resource: CONFIGMAPS,
      backoff: { initialDelayMs: 1, maxDelayMs: 10, jitter: 0 },
      ...options,
    });
    informers.push(informer);
    return informer;
  }

  it('lists, syncs, then reports each create, update and delete once', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    server.put('b', { v: '1' });
    const informer = follow(server);
    const seen = recorder(informer);
    expect(informer.hasSynced()).toBe(false);
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    expect(informer.hasSynced()).toBe(true);
    expect(seen).toEqual(['add a@1', 'add b@2']);
    expect(informer.lastSyncResourceVersion()).toBe('2');

    server.put('a', { v: '2' });
    server.put('c', { v: '1' });
    server.remove('b');
    await eventually(() => expect(seen).toHaveLength(5));
    expect(seen.slice(2)).toEqual(['update a@1 -> a@3', 'add c@4', 'delete b']);
    expect(cachedState(informer)).toEqual(server.state());
    expect(server.watchCalls[0]).toMatchObject({ resourceVersion: '2', allowWatchBookmarks: true });
  });

  it('resumes a dropped watch from the last version it saw, without doubles', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    const informer = follow(server);
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    server.put('a', { v: '2' });
    await eventually(() => expect(seen).toHaveLength(2));

    server.dropWatches();
    server.put('b', { v: '1' });
    server.remove('a');
    await eventually(() => expect(seen).toHaveLength(4));
    expect(seen).toEqual(['add a@1', 'update a@1 -> a@2', 'add b@3', 'delete a']);
    expect(server.listCalls).toHaveLength(1);
    expect(server.watchCalls.map((w) => w.resourceVersion)).toEqual(['1', '2']);
    expect(cachedState(informer)).toEqual(server.state());
  });

  it('drops events that repeat a version the cache holds', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    server.put('a', { v: '2' });
    server.put('b', { v: '1' });
    server.replayEverything = true;
    const informer = follow(server);
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    server.put('c', { v: '1' });
    await eventually(() => expect(informer.cache.size).toBe(3));
    server.dropWatches();
    server.put('c', { v: '2' });
    await eventually(() => expect(informer.cache.get('default/c')?.metadata?.resourceVersion).toBe('5'));
    // The replays of a@1 and a@2 are older than the cache; only what is new was reported.
    expect(seen.filter((s) => s.startsWith('add c') || s.startsWith('update c'))).toEqual([
      'add c@4',
      'update c@4 -> c@5',
    ]);
    expect(seen.filter((s) => s.startsWith('add b'))).toEqual(['add b@3']);
  });

  it('relists on 410 Expired and reports exactly the changes it missed', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    server.put('b', { v: '1' });
    server.put('c', { v: '1' });
    const errors: StatusError[] = [];
    const informer = follow(server, { onError: (e) => errors.push(e) });
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    seen.length = 0;

    server.dropWatches();
    server.put('a', { v: '2' });
    server.remove('b');
    server.put('d', { v: '1' });
    server.compact();
    await eventually(() => expect(server.listCalls).toHaveLength(2));
    await eventually(() => expect(seen).toHaveLength(3));
    expect(seen).toEqual(['update a@1 -> a@4', 'add d@6', 'delete b']);
    expect(errors.map((e) => e.reason)).toContain('Expired');
    expect(cachedState(informer)).toEqual(server.state());

    // And it follows on from the new list's version.
    server.put('c', { v: '2' });
    await eventually(() => expect(seen).toHaveLength(4));
    expect(seen[3]).toBe('update c@3 -> c@7');
  });

  it('relists when the server lost its state, replacing the cache with the new world', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    server.put('b', { v: '1' });
    server.put('c', { v: '1' });
    const informer = follow(server);
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    seen.length = 0;

    server.reset();
    server.put('e', { v: 'new' });
    server.put('a', { v: 'recreated' });
    await eventually(() => expect(cachedState(informer)).toEqual(server.state()));
    expect([...seen].sort()).toEqual(['add e@1', 'delete b', 'delete c', 'update a@1 -> a@2']);
  });

  it('retries a failing list with back-off and syncs once the server answers', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    server.failLists = 3;
    const errors: StatusError[] = [];
    const informer = follow(server, { onError: (e) => errors.push(e) });
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    expect(errors.map((e) => e.code)).toEqual([503, 503, 503]);
    expect(server.listCalls).toHaveLength(4);
  });

  it('lists in pages and falls back to one full list when the continue token expires', async () => {
    const server = new FakeServer();
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.put(name, { v: '1' });
    const informer = follow(server, { pageSize: 2 });
    informer.start();
    await informer.waitForSync();
    expect(informer.cache.size).toBe(5);
    expect(server.listCalls).toEqual([{ limit: 2 }, { limit: 2, continue: '2' }, { limit: 2, continue: '4' }]);
    // Items of a list get the kind of the list, like objects from watch events.
    expect(informer.cache.get('default/a')).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
  });

  it('advances its version with bookmarks', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    const informer = follow(server);
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    await eventually(() => expect(server.watchCalls).toHaveLength(1));
    server.bookmark();
    await eventually(() => expect(informer.lastSyncResourceVersion()).toBe('2'));
    expect(seen).toEqual(['add a@1']);
  });

  it('gives a handler added late the cached objects as adds', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    server.put('b', { v: '1' });
    const informer = follow(server);
    informer.start();
    await informer.waitForSync();
    const seen = recorder(informer);
    expect(seen.sort()).toEqual(['add a@1', 'add b@2']);
  });

  it('keeps going when a handler throws, and reports the error', async () => {
    const server = new FakeServer();
    server.put('a', { v: '1' });
    const errors: StatusError[] = [];
    const informer = follow(server, { onError: (e) => errors.push(e) });
    informer.addEventHandler({
      onAdd: () => {
        throw new Error('handler bug');
      },
    });
    const seen = recorder(informer);
    informer.start();
    await informer.waitForSync();
    expect(seen).toEqual(['add a@1']);
    expect(errors.map((e) => e.message)).toEqual(['Internal error occurred: handler bug']);
  });

  it('indexes the cache by namespace and by custom indexes', async () => {
    const server = new FakeServer();
    server.put('a', { team: 'red' }, 'one');
    server.put('b', { team: 'blue' }, 'one');
    server.put('c', { team: 'red' }, 'two');
    const informer = follow(server, {
      indexers: { team: (o) => [String((o.data as Record<string, string>).team)] },
    });
    informer.start();
    await informer.waitForSync();
    const names = (objects: KubeObject[]) => objects.map((o) => o.metadata?.name).sort();
    expect(names(informer.cache.byIndex('namespace', 'one'))).toEqual(['a', 'b']);
    expect(names(informer.cache.byIndex('team', 'red'))).toEqual(['a', 'c']);
    server.put('a', { team: 'blue' }, 'one');
    await eventually(() => expect(names(informer.cache.byIndex('team', 'red'))).toEqual(['c']));
    expect(names(informer.cache.byIndex('team', 'blue'))).toEqual(['a', 'b']);
    expect(() => informer.cache.byIndex('nope', 'x')).toThrow(/no index named "nope"/);
  });

  it('stops: the loop ends, and a pending waitForSync answers false', async () => {
    const server = new FakeServer();
    server.failLists = 1_000_000;
    const informer = follow(server);
    informer.start();
    const synced = informer.waitForSync();
    await eventually(() => expect(server.listCalls.length).toBeGreaterThan(1));
    await informer.stop();
    expect(await synced).toBe(false);
    const calls = server.listCalls.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(server.listCalls).toHaveLength(calls);
  });
});
