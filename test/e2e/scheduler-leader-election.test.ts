/**
 * Issue 4, acceptance 4: two scheduler processes on one cluster (`tkube up --nodes 3`).
 * The second is started by hand with the first one's command line (from DATA_DIR/run/
 * scheduler.pid); only the Lease holder schedules. When the leader is killed the other
 * binds the next pods: within 15 s after a kill (SIGTERM: the leader releases its Lease on
 * the way out), and after a crash (SIGKILL: nothing is released) once the Lease expires,
 * 10 s after its last renewal, plus the standby's next try (1 s retry with jitter).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lease, Pod } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { applyObjects, BUSYBOX, getPod } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';

let cluster: TestCluster;
let argv: string[] = [];
const extra: ChildProcess[] = [];

beforeAll(async () => {
  cluster = await startTestCluster({ upFlags: ['--nodes', '3'] });
  const record = JSON.parse(await readFile(join(cluster.dataDir, 'run', 'scheduler.pid'), 'utf8')) as {
    pid: number;
    argv: string[];
  };
  argv = record.argv;
});
afterAll(async () => {
  for (const child of extra) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await cluster?.destroy();
});

/** A scheduler started like tkube's; resolves once its caches are synced (it is then a standby or the leader). */
async function startScheduler(): Promise<{ child: ChildProcess; log: () => string }> {
  const [file, ...args] = argv;
  if (!file) throw new Error('the scheduler pid file has no command line');
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  extra.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  await waitUntil(
    'the second scheduler to sync its caches',
    () => output.includes('"msg":"caches synced"'),
    30_000,
    100,
  );
  return { child, log: () => output };
}

async function holder(): Promise<string> {
  const lease = JSON.parse(
    await cluster.kubectl(['get', 'lease', 'kube-scheduler', '-n', 'kube-system', '-o', 'json']),
  ) as Lease;
  return lease.spec?.holderIdentity ?? '';
}

function pod(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }],
    },
  };
}

/** Creates the pod and resolves with how long after `since` it was bound. */
async function boundAfter(name: string, since: number, timeoutMs: number): Promise<number> {
  await applyObjects(cluster, pod(name));
  await waitUntil(
    `pod ${name} to be bound`,
    async () => (await getPod(cluster, name)).spec?.nodeName !== undefined,
    timeoutMs,
    100,
  );
  return Date.now() - since;
}

describe('acceptance 4: two schedulers, one leads', () => {
  it('a standby binds the next pod within 15 s after the leader is killed', async () => {
    const leaderPid = Number(JSON.parse(await readFile(join(cluster.dataDir, 'run', 'scheduler.pid'), 'utf8')).pid);
    const standby = await startScheduler();
    expect(await holder()).toMatch(new RegExp(`_${leaderPid}$`));
    // The standby only watches: a pod is bound by the leader, not by both.
    await boundAfter('before-kill', Date.now(), 15_000);
    expect(standby.log()).not.toContain('"msg":"scheduling"');

    const killedAt = Date.now();
    process.kill(leaderPid, 'SIGTERM');
    const took = await boundAfter('after-kill', killedAt, 15_000);
    expect(took).toBeLessThan(15_000);
    expect(await holder()).toMatch(new RegExp(`_${standby.child.pid}$`));
    expect(standby.log()).toContain('"msg":"scheduling"');
  });

  it('after a crash of the leader, another takes over once the Lease expires', async () => {
    const crashing = extra[0];
    if (!crashing?.pid) throw new Error('no second scheduler');
    const next = await startScheduler();
    const crashedAt = Date.now();
    crashing.kill('SIGKILL');
    // The Lease holds 10 s after its last renewal; the standby tries every 1-2.2 s.
    const took = await boundAfter('after-crash', crashedAt, 30_000);
    expect(took).toBeLessThan(15_000);
    expect(await holder()).toMatch(new RegExp(`_${next.child.pid}$`));
    console.log(`after SIGKILL of the leader, the next pod was bound in ${took} ms`);
  });
});
