import { StatusError } from '@tkube/api';
import { RateLimitingQueue } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { runController } from './controller.js';
import { keyOf, splitKey } from './keys.js';
import { silentLogger } from './testing/silent-logger.js';

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('runController', () => {
  it('does not sync before the caches have synced', async () => {
    const queue = new RateLimitingQueue<string>();
    const synced: string[] = [];
    let cachesSynced = false;
    const controller = runController({
      name: 'test',
      queue,
      workers: 2,
      sync: async (key) => {
        synced.push(key);
      },
      hasSynced: () => cachesSynced,
      logger: silentLogger,
      syncPollMs: 5,
    });
    queue.add('ns/a');
    await new Promise((r) => setTimeout(r, 30));
    expect(synced).toEqual([]);
    cachesSynced = true;
    await until(() => synced.length === 1);
    expect(synced).toEqual(['ns/a']);
    await controller.stop();
  });

  it('retries a failing key with back-off and forgets it once it succeeds', async () => {
    const queue = new RateLimitingQueue<string>();
    let attempts = 0;
    const controller = runController({
      name: 'test',
      queue,
      workers: 1,
      sync: async () => {
        attempts++;
        if (attempts < 3) throw StatusError.internal('boom');
      },
      hasSynced: () => true,
      logger: silentLogger,
    });
    queue.add('ns/a');
    await until(() => attempts === 3);
    await until(() => queue.numRequeues('ns/a') === 0);
    await controller.stop();
  });
});

describe('keys', () => {
  it('round-trips namespaced and cluster-scoped keys', () => {
    expect(keyOf({ metadata: { namespace: 'ns', name: 'a' } })).toBe('ns/a');
    expect(splitKey('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(splitKey(keyOf({ metadata: { name: 'node1' } }))).toEqual({ namespace: '', name: 'node1' });
  });
});
