/** The benchmark's objects: hollow Nodes (no kubelet: only the object) and pending pods. */
import type { Node, Pod } from '@tkube/api';

export const ZONES = ['zone-a', 'zone-b', 'zone-c'];

export function benchNode(i: number): Node {
  const name = `bench-node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'topology.kubernetes.io/zone': ZONES[i % ZONES.length] ?? 'zone-a',
      },
    },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '16Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'hollow node' }],
    },
  };
}

/** A pod asking for 100m and 128Mi; with `antiAffinityGroupSize`, it refuses nodes that hold a pod of its group. */
export function benchPod(namespace: string, i: number, antiAffinityGroupSize?: number): Pod {
  const group = antiAffinityGroupSize ? `g${Math.floor(i / antiAffinityGroupSize)}` : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `pod-${i}`, namespace, labels: { app: 'bench', ...(group ? { group } : {}) } },
    spec: {
      containers: [{ name: 'c', image: 'busybox:1.35', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
      ...(group
        ? {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { group } } },
                ],
              },
            },
          }
        : {}),
    },
  };
}

/** Runs `task(i)` for i in [0, count) with `workers` at a time. */
export async function inParallel(count: number, workers: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: workers }, worker));
}
