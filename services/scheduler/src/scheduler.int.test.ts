/**
 * The scheduler with the default plugins against a real apiserver (in-process, memory
 * storage), itself in-process:
 * nodes and pods created through the client, pods bound to nodes that fit, the
 * FailedScheduling event and PodScheduled condition of a pod no node can take, and two
 * schedulers on one Lease where stopping the leader hands over to the other (as their
 * /metrics tell too).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event, Node, Pod } from '@tkube/api';
import { ApiClient } from '@tkube/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApiServer } from '../../apiserver/src/server.js';
import { startMemoryApiServer } from '../../apiserver/src/testing/memory-apiserver.js';
import { DEFAULT_CONFIG, type SchedulerConfig } from './config/config.js';
import { defaultPlugins, podInfoOf } from './plugins/index.js';
import { type RunningScheduler, startScheduler } from './start-scheduler.js';
import { makeNode, makePod } from './testing/fakes.js';

const TOKEN = `scheduler-it-${randomBytes(6).toString('hex')}`;
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PODS = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };
const EVENTS = { group: '', version: 'v1', resource: 'events', namespace: 'default' };

let dir: string;
let apiserver: RunningApiServer | undefined;
let client: ApiClient;
const schedulers: RunningScheduler[] = [];

function configFor(identity: string, tokenFile: string): SchedulerConfig {
  return {
    ...DEFAULT_CONFIG,
    apiserverGrpc: apiserver?.grpcAddress ?? '',
    tokenFile,
    identity,
    // Short terms, so that the test of a standby taking over stays short.
    leaseDurationMs: 4_000,
    renewDeadlineMs: 3_000,
    retryPeriodMs: 500,
    healthzBindAddress: '127.0.0.1:0',
    logLevel: 'silent',
  };
}

async function startOne(identity: string): Promise<RunningScheduler> {
  const running = await startScheduler(configFor(identity, join(dir, 'tokens.csv')), {
    plugins: defaultPlugins(),
    podInfoOf,
    logger: pino({ level: 'silent' }),
  });
  schedulers.push(running);
  return running;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function httpGet(address: string | undefined, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://${address}${path}`);
  return { status: response.status, body: await response.text() };
}

async function nodeOf(name: string): Promise<string | undefined> {
  const pod = await client.get<Pod>(PODS, name);
  return pod.spec?.nodeName || undefined;
}

async function eventsOf(name: string): Promise<Event[]> {
  const list = await client.list<Event>(EVENTS);
  return list.items.filter((e) => e.involvedObject?.name === name);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scheduler-it-'));
  ({ apiserver } = await startMemoryApiServer(dir, TOKEN));
  client = ApiClient.connect({ address: apiserver.grpcAddress, token: TOKEN });
  await client.create<Node>(NODES, makeNode('small', { cpu: '1' }));
  await client.create<Node>(NODES, makeNode('big', { cpu: '4' }));
  await client.create<Node>(
    NODES,
    makeNode('tainted', { cpu: '16', taints: [{ key: 'x', value: 'y', effect: 'NoSchedule' }] }),
  );
}, 60_000);

afterAll(async () => {
  for (const s of schedulers) await s.stop();
  client?.close();
  await apiserver?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the scheduler with a real apiserver', () => {
  it('binds pods to nodes that fit, and says why it cannot place one that fits nowhere', async () => {
    const leader = await startOne('scheduler-a');
    await waitFor('leadership', async () => (leader.isLeader() ? true : undefined));

    const { metadata: _m, ...fits } = makePod('fits', { cpu: '2' });
    await client.create<Pod>(PODS, { ...fits, metadata: { name: 'fits' } });
    await client.create<Pod>(PODS, { ...makePod('huge', { cpu: '8' }), metadata: { name: 'huge' } });

    expect(await waitFor('fits to be bound', () => nodeOf('fits'))).toBe('big');
    const failed = await waitFor('the FailedScheduling event', async () =>
      (await eventsOf('huge')).find((e) => e.reason === 'FailedScheduling'),
    );
    const message = '0/3 nodes are available: 1 node(s) had untolerated taint {x: y}, 2 Insufficient cpu.';
    expect(failed).toMatchObject({ type: 'Warning', message, source: { component: 'default-scheduler' } });
    const condition = await waitFor('the PodScheduled condition', async () =>
      (await client.get<Pod>(PODS, 'huge')).status?.conditions?.find((c) => c.type === 'PodScheduled'),
    );
    expect(condition).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const scheduled = await waitFor('the Scheduled event', async () =>
      (await eventsOf('fits')).find((e) => e.reason === 'Scheduled'),
    );
    expect(scheduled.message).toBe('Successfully assigned default/fits to big');

    // Room appears (the taint goes): the waiting pod is placed without being re-created.
    const tainted = await client.get<Node>(NODES, 'tainted');
    await client.update<Node>(NODES, { ...tainted, spec: { ...tainted.spec, taints: [] } });
    expect(await waitFor('huge to be bound once the taint is gone', () => nodeOf('huge'))).toBe('tainted');
  });

  it('does not over-commit a node with a burst of pods', async () => {
    // big has 2 of 4 cpu left, small 1, tainted 8 of 16: 11 one-cpu pods fit, the 12th does not.
    const names = Array.from({ length: 12 }, (_, i) => `burst-${i}`);
    await Promise.all(
      names.map((name) => client.create<Pod>(PODS, { ...makePod(name, { cpu: '1' }), metadata: { name } })),
    );
    const placed = await waitFor('11 pods to be bound', async () => {
      const nodes = await Promise.all(names.map(nodeOf));
      return nodes.filter((n) => n !== undefined).length === 11 ? nodes : undefined;
    });
    const perNode = new Map<string, number>();
    for (const n of placed) if (n) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    expect(Object.fromEntries(perNode)).toEqual({ big: 2, small: 1, tainted: 8 });
  });

  it('hands over to a standby when the leader stops', async () => {
    const [first] = schedulers;
    if (!first) throw new Error('no first scheduler');
    const standby = await startOne('scheduler-b');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(standby.isLeader()).toBe(false);
    // Ready (its caches are warm) while it waits, and its metrics say it does not lead.
    expect(await httpGet(standby.healthzAddress, '/readyz')).toEqual({ status: 200, body: 'ok' });
    expect((await httpGet(standby.healthzAddress, '/metrics')).body).toMatch(
      /^leader_election_master_status\{name="kube-scheduler"\} 0$/m,
    );
    const firstMetrics = (await httpGet(first.healthzAddress, '/metrics')).body;
    expect(firstMetrics).toMatch(/^leader_election_master_status\{name="kube-scheduler"\} 1$/m);
    // fits, huge and 11 of the burst.
    expect(firstMetrics).toMatch(
      /^scheduler_schedule_attempts_total\{profile="default-scheduler",result="scheduled"\} 13$/m,
    );
    await first.stop();
    await waitFor('the standby to lead', async () => (standby.isLeader() ? true : undefined), 10_000);
    expect((await httpGet(standby.healthzAddress, '/metrics')).body).toMatch(
      /^leader_election_master_status\{name="kube-scheduler"\} 1$/m,
    );
    await expect(httpGet(first.healthzAddress, '/healthz')).rejects.toThrow();

    const burst = await client.list<Pod>(PODS);
    for (const pod of burst.items) {
      if (pod.metadata?.name?.startsWith('burst-'))
        await client.delete(PODS, pod.metadata.name, { gracePeriodSeconds: 0 });
    }
    await client.create<Pod>(PODS, { ...makePod('after', { cpu: '1' }), metadata: { name: 'after' } });
    expect(await waitFor('after to be bound by the new leader', () => nodeOf('after'))).toBeDefined();
    expect(standby.scheduledCount()).toBeGreaterThanOrEqual(1);
  });
});
