import { describe, expect, it } from 'vitest';
import { RevisionCompactedError, type StorageEvent, type StorageWatch } from './types.js';
import { WatchCache } from './watch-cache.js';

const object = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

async function drain(watch: StorageWatch): Promise<StorageEvent[]> {
  const events: StorageEvent[] = [];
  for await (const event of watch.events) events.push(event);
  return events;
}

describe('WatchCache', () => {
  it('serves prefixes that end inside a name, for lists and watches', async () => {
    const cache = new WatchCache({ windowSize: 10, watcherBufferSize: 10 });
    const watch = cache.watch('r.core.pods.ns.web', 0);
    cache.applyPut('r.core.pods.ns.web-1', object('web-1'), 1);
    cache.applyPut('r.core.pods.ns.db-1', object('db-1'), 2);
    cache.applyPut('r.core.pods.ns.web-2', object('web-2'), 3);
    expect(cache.list('r.core.pods.ns.web').items.map((item) => item.key)).toEqual([
      'r.core.pods.ns.web-1',
      'r.core.pods.ns.web-2',
    ]);
    cache.close(new Error('closed'));
    expect((await drain(watch)).map((e) => e.revision)).toEqual([1, 3]);
  });

  it('compacts the oldest events once the window is full', () => {
    const cache = new WatchCache({ windowSize: 3, watcherBufferSize: 10 });
    for (let revision = 1; revision <= 5; revision++) cache.applyPut(`k.${revision}`, object(`${revision}`), revision);
    expect(cache.oldestRevision).toBe(2);
    expect(() => cache.watch('', 1)).toThrow(RevisionCompactedError);
    expect(cache.list('', 2).items.map((item) => item.key)).toEqual(['k.1', 'k.2']);
  });

  it('ends every watch on reset and starts its history at the reset revision', async () => {
    const cache = new WatchCache({ windowSize: 10, watcherBufferSize: 10 });
    cache.applyPut('k.a', object('a'), 1);
    const watch = cache.watch('', 0);
    cache.reset([{ key: 'k.b', object: object('b'), revision: 7 }], 9);
    expect((await drain(watch)).map((e) => e.revision)).toEqual([1]);
    expect(cache.revision).toBe(9);
    expect(cache.list('').items.map((item) => item.key)).toEqual(['k.b']);
    expect(() => cache.watch('', 8)).toThrow(RevisionCompactedError);
  });

  it('skips deletes of keys it does not hold but still advances', () => {
    const cache = new WatchCache({ windowSize: 10, watcherBufferSize: 10 });
    expect(cache.applyDelete('k.unknown', 4)).toBeUndefined();
    expect(cache.revision).toBe(4);
  });

  it('lets a read wait for a revision without polling', async () => {
    const cache = new WatchCache({ windowSize: 10, watcherBufferSize: 10 });
    const waiting = cache.waitFor(2, 1_000);
    cache.applyPut('k.a', object('a'), 1);
    cache.applyPut('k.b', object('b'), 2);
    await expect(waiting).resolves.toBeUndefined();
    await expect(cache.waitFor(3, 10)).rejects.toMatchObject({ code: 504 });
  });

  it('holds watches from a revision it has not reached until it gets there', async () => {
    const cache = new WatchCache({ windowSize: 10, watcherBufferSize: 10 });
    const watch = cache.watch('', 2);
    cache.applyPut('k.a', object('a'), 1);
    cache.applyPut('k.a', object('a'), 2);
    cache.applyPut('k.a', object('a'), 3);
    cache.close(new Error('closed'));
    expect((await drain(watch)).map((e) => e.revision)).toEqual([3]);
  });

  it('lets a slow watcher fall behind and end without holding up the others', async () => {
    const cache = new WatchCache({ windowSize: 100, watcherBufferSize: 5 });
    const slow = cache.watch('', 0);
    const fast = cache.watch('', 0);
    const received: number[] = [];
    const reading = (async () => {
      for await (const event of fast.events) received.push(event.revision);
    })();
    for (let revision = 1; revision <= 20; revision++) {
      cache.applyPut(`k.${revision}`, object(`${revision}`), revision);
      await new Promise((resolve) => setImmediate(resolve));
    }
    cache.close(new Error('closed'));
    await reading;
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await drain(slow)).map((e) => e.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(cache.watcherCount).toBe(0);
  });
});
