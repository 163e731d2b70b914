import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsServerHandle, startNatsServer } from '../testing/nats-server.js';
import { describeStorageContract } from './contract.js';
import { storageKey, storagePrefix } from './keys.js';
import { NatsStorage } from './nats-storage.js';
import { RevisionCompactedError } from './types.js';

let nats: NatsServerHandle;

beforeAll(async () => {
  nats = await startNatsServer();
});

afterAll(async () => {
  await nats?.stop();
});

describeStorageContract('NATS JetStream KV', (options) =>
  NatsStorage.open({ servers: nats.url, windowSize: options?.windowSize, readTimeoutMs: 1_000 }),
);

describe('NatsStorage', () => {
  const pods = { group: '', resource: 'pods' };
  const pod = (namespace: string, name: string, phase = 'Pending') => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    status: { phase },
  });

  it('lists writes made through another apiserver at once (read-your-writes across processes)', async () => {
    const writer = await NatsStorage.open({ servers: nats.url });
    const reader = await NatsStorage.open({ servers: nats.url });
    try {
      const ns = 'across';
      for (let i = 0; i < 50; i++) {
        const revision = await writer.create(storageKey(pods, ns, `p${i}`), pod(ns, `p${i}`));
        const snapshot = await reader.list(storagePrefix(pods, ns));
        expect(snapshot.revision).toBeGreaterThanOrEqual(revision);
        expect(snapshot.items).toHaveLength(i + 1);
      }
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('starts a new apiserver from the current state, with history only from there on', async () => {
    const first = await NatsStorage.open({ servers: nats.url });
    const ns = 'restarted';
    const before = await first.create(storageKey(pods, ns, 'a'), pod(ns, 'a'));
    await first.update(storageKey(pods, ns, 'a'), pod(ns, 'a', 'Running'), before);
    await first.close();

    const second = await NatsStorage.open({ servers: nats.url });
    try {
      const snapshot = await second.list(storagePrefix(pods, ns));
      expect(snapshot.items.map((item) => item.object.status)).toEqual([{ phase: 'Running' }]);
      await expect(second.watch(storagePrefix(pods, ns), before)).rejects.toBeInstanceOf(RevisionCompactedError);
      const watch = await second.watch(storagePrefix(pods, ns), snapshot.revision);
      const deleted = await second.delete(storageKey(pods, ns, 'a'));
      const iterator = watch.events[Symbol.asyncIterator]();
      const event = (await iterator.next()).value;
      expect(event).toMatchObject({ type: 'delete', revision: deleted, object: { status: { phase: 'Running' } } });
      watch.stop();
    } finally {
      await second.close();
    }
  });

  it('creates its bucket with the given name when missing', async () => {
    const storage = await NatsStorage.open({ servers: nats.url, bucket: 'other-bucket' });
    try {
      const revision = await storage.create(storageKey(pods, 'x', 'a'), pod('x', 'a'));
      expect(revision).toBe(1);
    } finally {
      await storage.close();
    }
  });
});
