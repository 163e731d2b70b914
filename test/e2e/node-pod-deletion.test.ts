/**
 * Issue 3, acceptance 5: deleting a pod runs its PreStop hook (then SIGTERM), and leaves
 * nothing of it on the host: no container or sandbox in Docker, its IP back in the pool,
 * no veth and no iptables rule.
 */
import { createHash } from 'node:crypto';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster, type TestNode } from './harness/cluster.js';
import { containersLabelled, docker, hostCommand, linkExists } from './harness/host.js';
import { applyObjects, BUSYBOX, busyboxPod, isRunning, NODE, waitForPod } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';

let cluster: TestCluster;
let node: TestNode;
let hostDir: string;

beforeAll(async () => {
  cluster = await startTestCluster();
  const first = cluster.nodes[0];
  if (!first) throw new Error('the cluster has no node');
  node = first;
  hostDir = await mkdtemp(join(tmpdir(), 'tkube-e2e-prestop-'));
});
afterAll(async () => {
  await cluster?.destroy();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

/** cni-bridge's name for the host end of an attachment's veth pair (plugins/cni-bridge/src/names.ts). */
const hostVethName = (sandboxId: string) =>
  `veth${createHash('sha256').update(`${sandboxId}\neth0`).digest('hex').slice(0, 8)}`;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('deleting a pod', () => {
  it('runs PreStop, then removes its containers, sandbox, IP, veth and iptables rules', async () => {
    const lifecycleFile = join(hostDir, 'lifecycle.txt');
    await applyObjects(
      cluster,
      busyboxPod('leaver', {
        terminationGracePeriodSeconds: 10,
        volumes: [{ name: 'host', hostPath: { path: hostDir, type: 'Directory' } }],
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            // SIGTERM is trapped and noted after whatever PreStop wrote: the file shows the order.
            command: [
              'sh',
              '-c',
              "trap 'echo sigterm >> /host/lifecycle.txt; exit 0' TERM; while true; do sleep 0.2; done",
            ],
            volumeMounts: [{ name: 'host', mountPath: '/host' }],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /host/lifecycle.txt'] } } },
          },
        ],
      }),
    );
    const pod = await waitForPod(cluster, 'leaver', 'Running', isRunning, 10_000);
    const uid = pod.metadata?.uid ?? '';
    const podIP = pod.status?.podIP ?? '';
    expect(pod.spec?.nodeName).toBe(NODE);

    // What the pod has on the host while it runs.
    const containers = await containersLabelled(`io.kubernetes.pod.uid=${uid}`);
    expect(containers.length).toBe(2);
    const [sandboxId = ''] = (
      await docker([
        'ps',
        '--quiet',
        '--no-trunc',
        '--filter',
        `label=io.kubernetes.pod.uid=${uid}`,
        '--filter',
        'label=io.kubernetes.docker.type=podsandbox',
      ])
    )
      .split('\n')
      .filter((id) => id !== '');
    expect(sandboxId).toMatch(/^[0-9a-f]{64}$/);
    const veth = hostVethName(sandboxId);
    const allocation = join(cluster.dataDir, 'nodes', NODE, 'cni', 'networks', node.bridge, podIP);
    expect(await linkExists(veth)).toBe(true);
    expect(await exists(allocation)).toBe(true);
    expect(await hostCommand('iptables-save', [])).toContain(sandboxId);

    await cluster.kubectl(['delete', 'pod', 'leaver', '--timeout=30s']);

    expect(await readFile(lifecycleFile, 'utf8')).toBe('prestop\nsigterm\n');
    await waitUntil(
      'the pod’s containers and sandbox to leave Docker',
      async () => (await containersLabelled(`io.kubernetes.pod.uid=${uid}`)).length === 0,
      10_000,
      200,
    );
    expect(await exists(allocation)).toBe(false);
    expect(await linkExists(veth)).toBe(false);
    expect(await hostCommand('iptables-save', [])).not.toContain(sandboxId.slice(0, 12));
  });
});
