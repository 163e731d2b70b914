/**
 * The informer against the real thing: the gRPC server over the registries on
 * MemoryStorage. The server is restarted over the same storage (the informer resumes
 * its watch) and over fresh storage whose history does not reach the informer's version
 * (410, relist): either way the cache ends equal to the server's state and the handlers
 * have seen each change exactly once.
 */

import type { ConfigMap, KubeObject, StatusError } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningGrpcServer } from '../../../services/apiserver/src/grpc/grpc-server.js';
import { startGrpcServer } from '../../../services/apiserver/src/grpc/grpc-server.js';
import type { Registries } from '../../../services/apiserver/src/registry/registries.js';
import { createRegistries, ensureSystemNamespaces } from '../../../services/apiserver/src/registry/registries.js';
import { MemoryStorage } from '../../../services/apiserver/src/storage/memory-storage.js';
import { ApiClient } from './api-client.js';
import type { ListWatchClient } from './informer/informer.js';
import { Informer } from './informer/informer.js';
import type { ListOptions, ResourceTarget, WatchOptions } from './types.js';

const TOKEN = 'integration-token';
const CONFIGMAPS: ResourceTarget = { group: '', version: 'v1', resource: 'configmaps' };
const inNamespace = (namespace: string): ResourceTarget => ({ ...CONFIGMAPS, namespace });

const configMap = (namespace: string, name: string, value: string): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { value },
});

/** A ListWatchClient that counts lists, so a test can tell a resumed watch from a relist. */
function counting(client: ApiClient): ListWatchClient & { lists: number } {
  const counter = {
    lists: 0,
    list: <T extends KubeObject>(target: ResourceTarget, options?: ListOptions) => {
      counter.lists++;
      return client.list<T>(target, options);
    },
    watch: <T extends KubeObject>(target: ResourceTarget, options?: WatchOptions) => client.watch<T>(target, options),
  };
  return counter;
}

const describeVersion = (o: KubeObject) =>
  `${o.metadata?.namespace}/${o.metadata?.name}@${o.metadata?.resourceVersion}`;

async function eventually(check: () => void | Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('Informer over the gRPC apiserver', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function serve(registries: Registries, address: string): Promise<RunningGrpcServer> {
    const server = await startGrpcServer({ registries, address, token: TOKEN, shutdownGraceMs: 2000 });
    cleanups.push(() => server.stop());
    return server;
  }

  async function seeded(storage: MemoryStorage): Promise<Registries> {
    const registries = createRegistries(storage);
    await ensureSystemNamespaces(registries);
    return registries;
  }

  /** The server's configmaps, key -> resourceVersion. */
  async function serverState(client: ApiClient): Promise<Record<string, string>> {
    const list = await client.list(CONFIGMAPS);
    return Object.fromEntries(
      list.items.map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion ?? '']).sort(),
    );
  }

  function cacheState(informer: Informer): Record<string, string> {
    return Object.fromEntries(
      informer.cache
        .list()
        .map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o.metadata?.resourceVersion ?? ''])
        .sort(),
    );
  }

  it('follows changes across restarts over the same storage and over fresh storage', async () => {
    const storage = new MemoryStorage();
    cleanups.push(() => storage.close());
    let server = await serve(await seeded(storage), '127.0.0.1:0');
    const address = server.address;

    const writer = ApiClient.connect({ address, token: TOKEN });
    const reader = ApiClient.connect({ address, token: TOKEN });
    cleanups.push(
      () => writer.close(),
      () => reader.close(),
    );
    const counted = counting(reader);
    const errors: StatusError[] = [];
    const informer = new Informer({
      client: counted,
      resource: CONFIGMAPS,
      backoff: { initialDelayMs: 50, maxDelayMs: 400, jitter: 0 },
      onError: (e) => errors.push(e),
    });
    cleanups.push(() => informer.stop());
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${describeVersion(o)}`),
      onUpdate: (a, b) => seen.push(`update ${describeVersion(a)} -> ${describeVersion(b)}`),
      onDelete: (o) => seen.push(`delete ${o.metadata?.namespace}/${o.metadata?.name}`),
    });

    const a = await writer.create(inNamespace('default'), configMap('default', 'a', '1'));
    informer.start();
    expect(await informer.waitForSync()).toBe(true);
    expect(seen).toEqual([`add ${describeVersion(a)}`]);

    // Phase 1: a live watch sees each change once.
    const b = await writer.create(inNamespace('default'), configMap('default', 'b', '1'));
    const c = await writer.create(inNamespace('kube-system'), configMap('kube-system', 'c', '1'));
    const a2 = await writer.update(inNamespace('default'), { ...a, data: { value: '2' } });
    await writer.delete(inNamespace('default'), 'b');
    await eventually(() => expect(seen).toHaveLength(5));
    expect(seen.slice(1)).toEqual([
      `add ${describeVersion(b)}`,
      `add ${describeVersion(c)}`,
      `update ${describeVersion(a)} -> ${describeVersion(a2)}`,
      'delete default/b',
    ]);
    expect(cacheState(informer)).toEqual(await serverState(writer));

    // Phase 2: restart over the same storage; the informer resumes its watch, no relist.
    await server.stop();
    server = await serve(await seeded(storage), address);
    const c2 = await writer.update(inNamespace('kube-system'), { ...c, data: { value: '2' } });
    const d = await writer.create(inNamespace('default'), configMap('default', 'd', '1'));
    await eventually(() => expect(seen).toHaveLength(7));
    expect(seen.slice(5)).toEqual([
      `update ${describeVersion(c)} -> ${describeVersion(c2)}`,
      `add ${describeVersion(d)}`,
    ]);
    expect(counted.lists).toBe(1);
    expect(cacheState(informer)).toEqual(await serverState(writer));

    // Phase 3: restart over fresh storage whose kept history starts after the informer's
    // version: the resumed watch answers 410 and the informer lists again.
    const before = new Map(informer.cache.list().map((o) => [`${o.metadata?.namespace}/${o.metadata?.name}`, o]));
    const informerVersion = Number(informer.lastSyncResourceVersion());
    await server.stop();
    const fresh = new MemoryStorage({ windowSize: 4 });
    cleanups.push(() => fresh.close());
    const freshRegistries = await seeded(fresh);
    const configmaps = freshRegistries.get('', 'v1', 'configmaps');
    if (!configmaps) throw new Error('configmaps are not served');
    // Enough writes that the fresh store's window starts beyond the informer's version.
    for (let i = 0; (await fresh.currentRevision()) < informerVersion + 8; i++) {
      await configmaps.create('default', configMap('default', `filler-${i}`, 'x'), {});
      await configmaps.delete('default', `filler-${i}`, {});
    }
    await configmaps.create('default', configMap('default', 'a', 'fresh'), {});
    await configmaps.create('default', configMap('default', 'e', '1'), {});
    seen.length = 0;
    server = await serve(freshRegistries, address);

    await eventually(async () => expect(cacheState(informer)).toEqual(await serverState(writer)));
    expect(errors.some((e) => e.code === 410)).toBe(true);
    expect(counted.lists).toBe(2);
    const after = await writer.list(CONFIGMAPS);
    const expected: string[] = [];
    for (const object of after.items) {
      const key = `${object.metadata?.namespace}/${object.metadata?.name}`;
      const old = before.get(key);
      expected.push(
        old ? `update ${describeVersion(old)} -> ${describeVersion(object)}` : `add ${describeVersion(object)}`,
      );
    }
    const afterKeys = new Set(after.items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
    for (const key of before.keys()) if (!afterKeys.has(key)) expected.push(`delete ${key}`);
    expect([...seen].sort()).toEqual(expected.sort());
    expect(seen.some((s) => s.startsWith('delete kube-system/c'))).toBe(true);

    // And it keeps following the new server.
    const e = informer.cache.get('default/e') as ConfigMap;
    const e2 = await writer.update(inNamespace('default'), { ...e, data: { value: '2' } });
    await eventually(() => expect(seen).toContain(`update ${describeVersion(e)} -> ${describeVersion(e2)}`));
    expect(seen.filter((s) => s.includes('default/e@'))).toHaveLength(2);
  });
});
