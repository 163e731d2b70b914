/**
 * The controller-manager against a real apiserver (in-process, memory storage), itself
 * in-process with the ReplicaSet controller and the garbage collector: a ReplicaSet of 3
 * makes 3 pods, a deleted pod is replaced, scaling to 1 deletes 2, and deleting the
 * ReplicaSet (background) has the garbage collector delete its pods.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod, ReplicaSet } from '@tkube/api';
import { ApiClient } from '@tkube/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApiServer } from '../../apiserver/src/server.js';
import { startMemoryApiServer } from '../../apiserver/src/testing/memory-apiserver.js';
import { DEFAULT_CONFIG } from './config/config.js';
import { type RunningControllerManager, startControllerManager } from './controller-manager.js';

const TOKEN = `cm-it-${randomBytes(6).toString('hex')}`;
const PODS = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };
const REPLICASETS = { group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default' };

let dir: string;
let apiserver: RunningApiServer | undefined;
let client: ApiClient;
let manager: RunningControllerManager | undefined;

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function livePods(): Promise<Pod[]> {
  const list = await client.list<Pod>(PODS, { labelSelector: 'app=web' });
  return list.items.filter((pod) => !pod.metadata?.deletionTimestamp);
}

const podCount = (n: number) => async () => ((await livePods()).length === n ? true : undefined);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-it-'));
  ({ apiserver } = await startMemoryApiServer(dir, TOKEN));
  client = ApiClient.connect({ address: apiserver.grpcAddress, token: TOKEN });
  manager = await startControllerManager(
    {
      ...DEFAULT_CONFIG,
      apiserverGrpc: apiserver.grpcAddress,
      tokenFile: join(dir, 'tokens.csv'),
      controllers: ['replicaset', 'garbagecollector'],
      identity: 'cm-it',
      healthzBindAddress: '127.0.0.1:0',
      logLevel: 'silent',
    },
    { logger: pino({ level: 'silent' }) },
  );
  await waitFor('leadership', async () => (manager?.isLeader() ? true : undefined));
}, 60_000);

afterAll(async () => {
  await manager?.stop();
  client?.close();
  await apiserver?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the controller-manager with a real apiserver', () => {
  it('serves /healthz, and /readyz and its leader gauge once it leads with synced caches', async () => {
    const get = async (path: string) => {
      const response = await fetch(`http://${manager?.healthzAddress}${path}`);
      return { status: response.status, body: await response.text() };
    };
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok' });
    await waitFor('/readyz', async () => ((await get('/readyz')).status === 200 ? true : undefined));
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(/^leader_election_master_status\{name="kube-controller-manager"\} 1$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('keeps a ReplicaSet at its replicas and collects its pods when it is deleted', async () => {
    const rs = await client.create<ReplicaSet>(REPLICASETS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'httpd', image: 'busybox:1.35' }] },
        },
      },
    });
    await waitFor('3 pods', podCount(3));
    const pods = await livePods();
    for (const pod of pods) expect(pod.metadata?.ownerReferences?.[0]?.uid).toBe(rs.metadata?.uid);
    const status = await waitFor('status.replicas = 3', async () => {
      const current = await client.get<ReplicaSet>(REPLICASETS, 'web');
      return current.status?.replicas === 3 ? current.status : undefined;
    });
    expect(status.observedGeneration).toBe(1);

    const victim = pods[0]?.metadata?.name ?? '';
    await client.delete(PODS, victim);
    await waitFor('a replacement', async () => {
      const names = (await livePods()).map((pod) => pod.metadata?.name);
      return names.length === 3 && !names.includes(victim) ? true : undefined;
    });

    await client.patch(REPLICASETS, 'web', 'merge', { spec: { replicas: 1 } });
    await waitFor('1 pod', podCount(1));
    // Stays at 1: no extra creates or deletes once settled.
    await new Promise((r) => setTimeout(r, 500));
    expect(await livePods()).toHaveLength(1);

    await client.delete(REPLICASETS, 'web', { propagationPolicy: 'Background' });
    await waitFor('the pods to be collected', podCount(0));
  }, 60_000);
});
