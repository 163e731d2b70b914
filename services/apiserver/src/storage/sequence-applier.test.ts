import { afterEach, describe, expect, it, vi } from 'vitest';
import { SequenceApplier } from './sequence-applier.js';
import type { StorageEvent } from './types.js';
import { WatchCache } from './watch-cache.js';

const object = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { value } });

function setUp() {
  const cache = new WatchCache({ windowSize: 100, watcherBufferSize: 100 });
  const lost: [number, number][] = [];
  const applier = new SequenceApplier({
    cache,
    decode: (_key, json) => JSON.parse(json),
    onLost: (expected, received) => lost.push([expected, received]),
    holeWaitMs: 250,
  });
  const events: StorageEvent[] = [];
  const watch = cache.watch('', 0);
  void (async () => {
    for await (const event of watch.events) events.push(event);
  })();
  return { cache, applier, lost, events };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('SequenceApplier', () => {
  it('applies changes in sequence and ignores ones already applied', () => {
    const { cache, applier } = setUp();
    applier.push({ revision: 1, key: 'k.a', object: object('1') });
    applier.push({ revision: 2, key: 'k.a', object: object('2') });
    applier.push({ revision: 2, key: 'k.a', object: object('2 again') });
    expect(cache.revision).toBe(2);
    expect(cache.get('k.a')?.object.data).toEqual({ value: '2' });
  });

  it('fills a hole from this process’s writes, even when they are acknowledged late', async () => {
    const { cache, applier, lost, events } = setUp();
    applier.push({ revision: 1, key: 'k.a', object: object('1') });
    // Revision 2 was replaced by 3 before the consumer read it; its ack comes after 3.
    applier.push({ revision: 3, key: 'k.a', object: object('3') });
    expect(cache.revision).toBe(1);
    applier.recordWrite(2, 'k.a', JSON.stringify(object('2')));
    expect(cache.revision).toBe(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(events.map((e) => [e.revision, (e.object.data as { value: string }).value])).toEqual([
      [1, '1'],
      [2, '2'],
      [3, '3'],
    ]);
    expect(events[2].previous?.data).toEqual({ value: '2' });
    expect(applier.filledHoles).toBe(1);
    expect(lost).toEqual([]);
  });

  it('fills a hole left by a delete', () => {
    const { cache, applier } = setUp();
    applier.recordWrite(1, 'k.a', JSON.stringify(object('1')));
    applier.recordWrite(2, 'k.a', undefined);
    applier.push({ revision: 3, key: 'k.a', object: object('3') });
    expect(cache.revision).toBe(3);
    expect(cache.list('', 2).items).toEqual([]);
  });

  it('reports a hole it cannot fill once the wait is over', () => {
    vi.useFakeTimers();
    const { cache, applier, lost } = setUp();
    applier.push({ revision: 1, key: 'k.a', object: object('1') });
    applier.push({ revision: 3, key: 'k.a', object: object('3') });
    applier.push({ revision: 4, key: 'k.b', object: object('4') });
    vi.advanceTimersByTime(249);
    expect(lost).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lost).toEqual([[2, 3]]);
    expect(cache.revision).toBe(1);
    expect(applier.heldCount).toBe(0);
  });

  it('forgets writes the cache has passed', () => {
    const { applier } = setUp();
    applier.push({ revision: 1, key: 'k.a', object: object('1') });
    applier.recordWrite(1, 'k.a', JSON.stringify(object('1')));
    applier.recordWrite(5, 'k.a', JSON.stringify(object('5')));
    applier.reset(5);
    applier.push({ revision: 2, key: 'k.b', object: object('2') });
    expect(applier.heldCount).toBe(0);
  });
});
