/**
 * Issue 4, acceptance 1-3, on a real three-node cluster (`tkube up --nodes 3`) through
 * kubectl 1.35: the scheduler places pods only on nodes that fit their requests,
 * nodeSelector and node affinity; spreads a set with required anti-affinity on
 * kubernetes.io/hostname over the three nodes and explains why a fourth waits; leaves a
 * pod that asks for more cpu than any node has Pending with "Insufficient cpu"; and, with
 * every node tainted NoSchedule, places only the pod that tolerates the taint.
 *
 * The "3-replica set" is three pods with the same labels and anti-affinity, as a ReplicaSet
 * would make them: written one by one, so that the fourth is known to be the one left over.
 */
import type { Event, KubeObject, Node, Pod } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { applyObjects, BUSYBOX, getPod } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';

let cluster: TestCluster;
let nodeNames: string[] = [];
/** Allocatable cpu of a node, in millicores (all three nodes share the host's cores). */
let nodeMilliCpu = 0;

beforeAll(async () => {
  cluster = await startTestCluster({ upFlags: ['--nodes', '3'] });
  nodeNames = cluster.nodes.map((n) => n.name);
  const nodes = JSON.parse(await cluster.kubectl(['get', 'nodes', '-o', 'json'])) as { items: Node[] };
  nodeMilliCpu = Math.min(...nodes.items.map((n) => milliCpu(String(n.status?.allocatable?.cpu ?? '0'))));
});
afterAll(async () => {
  await cluster?.destroy();
});

function milliCpu(text: string): number {
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Math.round(Number(text) * 1000);
}

function pod(
  name: string,
  spec: Partial<NonNullable<Pod['spec']>> = {},
  labels: Record<string, string> = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { test: name, ...labels } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }],
      ...spec,
    },
  };
}

function withCpu(object: KubeObject, millicores: number): KubeObject {
  const p = object as Pod;
  for (const c of p.spec?.containers ?? []) c.resources = { requests: { cpu: `${millicores}m` } };
  return p;
}

async function nodeOf(name: string, timeoutMs = 20_000): Promise<string> {
  let nodeName = '';
  await waitUntil(
    `pod ${name} to be bound`,
    async () => {
      nodeName = (await getPod(cluster, name)).spec?.nodeName ?? '';
      return nodeName !== '';
    },
    timeoutMs,
    200,
  );
  return nodeName;
}

/** The FailedScheduling message of a pod that must stay Pending. */
async function failedScheduling(name: string): Promise<string> {
  let message = '';
  await waitUntil(
    `a FailedScheduling event for ${name}`,
    async () => {
      const list = JSON.parse(
        await cluster.kubectl(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']),
      ) as { items: Event[] };
      message = list.items.find((e) => e.reason === 'FailedScheduling')?.message ?? '';
      return message !== '';
    },
    20_000,
    300,
  );
  const current = await getPod(cluster, name);
  expect(current.spec?.nodeName ?? '').toBe('');
  expect(current.status?.phase).toBe('Pending');
  expect(current.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
    status: 'False',
    reason: 'Unschedulable',
    message,
  });
  return message;
}

async function deletePods(...names: string[]): Promise<void> {
  await cluster.kubectl(['delete', 'pod', ...names, '--grace-period=0', '--force', '--wait=false']);
  // Deleted pods count on their node until they are gone.
  await waitUntil(
    `pods ${names.join(', ')} to be gone`,
    async () =>
      (await cluster.kubectl(['get', 'pods', '-o', 'name']))
        .split('\n')
        .every((l) => !names.some((n) => l === `pod/${n}`)),
    30_000,
    300,
  );
}

describe('acceptance 1: pods land only on nodes that fit', () => {
  it('follows nodeSelector and required node affinity, and says why nothing matches', async () => {
    const [, second, third] = nodeNames;
    if (!second || !third) throw new Error('the cluster has fewer than 3 nodes');
    await cluster.kubectl(['label', 'node', second, 'disk=ssd']);
    await applyObjects(
      cluster,
      pod('by-selector', { nodeSelector: { disk: 'ssd' } }),
      pod('by-affinity', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [third] }] },
              ],
            },
          },
        },
      }),
      pod('not-on-ssd', {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'DoesNotExist' }] }],
            },
          },
        },
      }),
      pod('nowhere', { nodeSelector: { disk: 'nvme' } }),
    );
    expect(await nodeOf('by-selector')).toBe(second);
    expect(await nodeOf('by-affinity')).toBe(third);
    expect(await nodeOf('not-on-ssd')).not.toBe(second);
    expect(await failedScheduling('nowhere')).toBe(
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
    );
    await deletePods('by-selector', 'by-affinity', 'not-on-ssd', 'nowhere');
  });

  it('places pods by their cpu requests: one big pod per node, the fourth waits for cpu', async () => {
    const share = Math.floor(nodeMilliCpu * 0.6);
    const names = ['big-0', 'big-1', 'big-2', 'big-3'];
    await applyObjects(cluster, ...names.map((name) => withCpu(pod(name), share)));
    const placed = await Promise.all(names.slice(0, 3).map((name) => nodeOf(name)));
    expect(new Set(placed).size).toBe(3);
    expect(await failedScheduling('big-3')).toBe('0/3 nodes are available: 3 Insufficient cpu.');
    // Room comes back when a big pod goes: the waiting one is placed there.
    await deletePods('big-0');
    expect(await nodeOf('big-3', 30_000)).toBe(placed[0]);
    await deletePods('big-1', 'big-2', 'big-3');
  });
});

describe('acceptance 2: a set with required anti-affinity on hostname', () => {
  it('lands on three different nodes, and a fourth stays Pending saying why', async () => {
    const antiAffinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'spread' } } },
        ],
      },
    };
    const names = ['spread-0', 'spread-1', 'spread-2', 'spread-3'];
    await applyObjects(
      cluster,
      ...names.slice(0, 3).map((name) => pod(name, { affinity: antiAffinity }, { app: 'spread' })),
    );
    const placed = await Promise.all(names.slice(0, 3).map((name) => nodeOf(name)));
    expect(new Set(placed)).toEqual(new Set(nodeNames));
    await applyObjects(cluster, pod('spread-3', { affinity: antiAffinity }, { app: 'spread' }));
    expect(await failedScheduling('spread-3')).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
    );
    await deletePods(...names);
  });
});

describe('acceptance 3: cpu and taints', () => {
  it('leaves a pod that asks for more cpu than any node has Pending with "Insufficient cpu"', async () => {
    await applyObjects(cluster, withCpu(pod('too-big'), nodeMilliCpu * 10));
    const message = await failedScheduling('too-big');
    expect(message).toContain('Insufficient cpu');
    expect(message).toBe('0/3 nodes are available: 3 Insufficient cpu.');
    await deletePods('too-big');
  });

  it('with every node tainted NoSchedule, places only the pod that tolerates the taint', async () => {
    for (const name of nodeNames) await cluster.kubectl(['taint', 'node', name, 'dedicated=infra:NoSchedule']);
    try {
      await applyObjects(
        cluster,
        pod('untolerating'),
        pod('tolerating', {
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
        }),
      );
      expect(nodeNames).toContain(await nodeOf('tolerating'));
      expect(await failedScheduling('untolerating')).toBe(
        '0/3 nodes are available: 3 node(s) had untolerated taint {dedicated: infra}.',
      );
    } finally {
      for (const name of nodeNames) await cluster.kubectl(['taint', 'node', name, 'dedicated=infra:NoSchedule-']);
    }
    // Untainted, the waiting pod is placed without being re-created.
    expect(nodeNames).toContain(await nodeOf('untolerating', 30_000));
    await deletePods('untolerating', 'tolerating');
  });
});
