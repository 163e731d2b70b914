/**
 * Issue 5, acceptance 6, on two nodes (`tkube up --nodes 2 --pod-eviction-timeout 10s`):
 * a node whose kubelet stops turns NotReady (Ready=Unknown once its Lease has not been
 * renewed for 40 s) and gets the unreachable NoExecute taint; after the shortened
 * toleration its pods are evicted and their ReplicaSet recreates them on the other node.
 * As in Kubernetes, the evicted pods stay Terminating: no kubelet is left to confirm them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject, Node, Pod } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { applyObjects, BUSYBOX, isRunning } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';
import { activePods, isServing, listPods } from './harness/workloads.js';

const REPLICAS = 4;
const APP = 'app=spread';
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ upFlags: ['--nodes', '2', '--pod-eviction-timeout', '10s'] });
});
afterAll(async () => {
  await cluster?.destroy();
});

const spread: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'spread', namespace: 'default' },
  spec: {
    replicas: REPLICAS,
    selector: { matchLabels: { app: 'spread' } },
    template: {
      metadata: { labels: { app: 'spread' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        // Soft, so that the replacements may all go to the node that is left.
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { app: 'spread' } },
          },
        ],
        containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }],
      },
    },
  },
};

async function getNode(name: string): Promise<Node> {
  return JSON.parse(await cluster.kubectl(['get', 'node', name, '-o', 'json'])) as Node;
}

describe('acceptance 6: a node whose kubelet stops', () => {
  it('turns NotReady, is tainted unreachable, and its pods are recreated on the other node', async () => {
    await applyObjects(cluster, spread);
    let pods: Pod[] = [];
    await waitUntil(
      `${REPLICAS} serving pods`,
      async () => {
        pods = await activePods(cluster, 'default', APP);
        return pods.length === REPLICAS && pods.every(isServing);
      },
      60_000,
      250,
    );
    // Stop the kubelet of a node that runs some of them; its containers keep running, as on a
    // node cut off from the network.
    const victimNode = pods[0]?.spec?.nodeName ?? '';
    const survivor = cluster.nodes.map((n) => n.name).find((name) => name !== victimNode) ?? '';
    const victims = pods.filter((pod) => pod.spec?.nodeName === victimNode).map((pod) => pod.metadata?.name);
    const pidFile = join(cluster.dataDir, 'run', `kubelet-${victimNode}.pid`);
    const { pid } = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGTERM');
    const stoppedAt = Date.now();

    await waitUntil(
      `${victimNode} to be NotReady`,
      async () => (await cluster.kubectl(['get', 'node', victimNode])).match(/\sNotReady\s/) !== null,
      75_000,
      1_000,
    );
    const notReadyAfterMs = Date.now() - stoppedAt;
    const node = await getNode(victimNode);
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
    });
    expect(node.spec?.taints).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' })]),
    );
    // The grace period is 40 s of silence after the last renewal (every 10 s).
    expect(notReadyAfterMs).toBeGreaterThanOrEqual(25_000);

    await waitUntil(
      `${REPLICAS} serving pods, all on ${survivor}`,
      async () => {
        const now = await activePods(cluster, 'default', APP);
        return (
          now.length === REPLICAS &&
          now.every((pod) => pod.spec?.nodeName === survivor && isServing(pod) && isRunning(pod))
        );
      },
      60_000,
      500,
    );
    const evicted = (await listPods(cluster, 'default', APP)).filter((pod) => victims.includes(pod.metadata?.name));
    expect(evicted.map((pod) => pod.metadata?.name).sort()).toEqual([...victims].sort());
    expect(evicted.every((pod) => pod.metadata?.deletionTimestamp !== undefined)).toBe(true);
  });
});
