/**
 * `kubectl drain` and `uncordon` on a two-node cluster: drain cordons the node and evicts
 * its pods through pods/eviction (policy/v1), the Deployment's pods come back on the
 * other node, and uncordon makes the node schedulable again.
 */
import type { Node } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { waitUntil } from './harness/wait.js';
import { activePods, isServing } from './harness/workloads.js';

const NS = 'drain';
let cluster: TestCluster;
let drainedNode = '';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: NS },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        // Two pods on each node to begin with.
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: 'kubernetes.io/hostname',
            whenUnsatisfiable: 'ScheduleAnyway',
            labelSelector: { matchLabels: { app: 'web' } },
          },
        ],
        containers: [{ name: 'web', image: 'busybox:1.35', command: ['httpd', '-f', '-p', '8080'] }],
      },
    },
  },
};

const nodesOfPods = async () => (await activePods(cluster, NS, 'app=web')).map((pod) => pod.spec?.nodeName ?? '');

beforeAll(async () => {
  cluster = await startTestCluster({ upFlags: ['--runtime', 'fake', '--nodes', '2'] });
  await cluster.kubectl(['create', 'namespace', NS]);
  await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment) });
  await waitUntil(
    '4 serving pods',
    async () => (await activePods(cluster, NS, 'app=web')).filter(isServing).length === 4,
    60_000,
    250,
  );
});

afterAll(async () => {
  await cluster?.destroy();
});

describe('kubectl drain', () => {
  it('cordons the node and evicts its pods, which come back on the other node', async () => {
    // Drain a node that runs some of them (the spread is a preference, not a rule).
    const second = (await nodesOfPods())[0] ?? '';
    const first = cluster.nodes.map((node) => node.name).find((name) => name !== second);
    if (!first || !second) throw new Error('two nodes expected');
    drainedNode = second;

    const drained = await cluster.kubectl(['drain', second, '--ignore-daemonsets', '--timeout=90s']);
    expect(drained).toContain(`node/${second} cordoned`);
    expect(drained).toMatch(/pod\/web-\S+ evicted/);
    expect(drained).toContain(`node/${second} drained`);

    const node = JSON.parse(await cluster.kubectl(['get', 'node', second, '-o', 'json'])) as Node;
    expect(node.spec?.unschedulable).toBe(true);
    expect(await cluster.kubectl(['get', 'node', second])).toMatch(/Ready,SchedulingDisabled/);
    await waitUntil(
      '4 serving pods, all on the first node',
      async () => {
        const pods = (await activePods(cluster, NS, 'app=web')).filter(isServing);
        return pods.length === 4 && pods.every((pod) => pod.spec?.nodeName === first);
      },
      60_000,
      250,
    );
  });

  it('uncordon makes the node schedulable again', async () => {
    const second = drainedNode;
    expect(await cluster.kubectl(['uncordon', second])).toContain(`node/${second} uncordoned`);
    const node = JSON.parse(await cluster.kubectl(['get', 'node', second, '-o', 'json'])) as Node;
    expect(node.spec?.unschedulable).toBeUndefined();
    await cluster.kubectl(['scale', 'deploy/web', '-n', NS, '--replicas=6']);
    await waitUntil(
      'a new pod on the uncordoned node',
      async () => (await nodesOfPods()).includes(second),
      60_000,
      250,
    );
  });
});
