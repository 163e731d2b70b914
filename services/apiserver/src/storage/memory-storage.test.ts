import { describe, expect, it } from 'vitest';
import { describeStorageContract } from './contract.js';
import { storageKey, storagePrefix } from './keys.js';
import { MemoryStorage } from './memory-storage.js';

describeStorageContract('memory', async (options) => new MemoryStorage({ windowSize: options?.windowSize }));

describe('MemoryStorage', () => {
  const pods = { group: '', resource: 'pods' };
  const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } });

  it('starts at revision 0 and keeps the whole history within its window', async () => {
    const storage = new MemoryStorage();
    expect(await storage.currentRevision()).toBe(0);
    await storage.create(storageKey(pods, 'default', 'a'), pod('a'));
    const watch = await storage.watch(storagePrefix(pods), 0);
    const iterator = watch.events[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.revision).toBe(1);
    expect((await storage.list(storagePrefix(pods), 0)).items).toEqual([]);
    await storage.close();
  });

  it('ends a watch whose reader falls too far behind, after delivering what it queued', async () => {
    const storage = new MemoryStorage({ watcherBufferSize: 3 });
    const watch = await storage.watch(storagePrefix(pods), 0);
    for (const name of ['a', 'b', 'c', 'd', 'e']) await storage.create(storageKey(pods, 'default', name), pod(name));
    const seen: number[] = [];
    for await (const event of watch.events) seen.push(event.revision);
    expect(seen).toEqual([1, 2, 3]);
    // The reader resumes from what it saw.
    const resumed = await storage.watch(storagePrefix(pods), 3);
    const iterator = resumed.events[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.revision).toBe(4);
    await storage.close();
  });

  it('ends open watches and refuses calls once closed', async () => {
    const storage = new MemoryStorage();
    const watch = await storage.watch(storagePrefix(pods), 0);
    const next = watch.events[Symbol.asyncIterator]().next();
    await storage.close();
    expect((await next).done).toBe(true);
    await expect(storage.get(storageKey(pods, 'default', 'a'))).rejects.toMatchObject({ code: 503 });
  });
});
