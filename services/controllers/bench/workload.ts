/** The benchmark's objects: a namespace and Deployments of busybox pods, created with bounded concurrency. */
import type { Deployment, Namespace } from '@tkube/api';

export function benchNamespace(name: string): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function deploymentName(i: number): string {
  return `bench-${String(i).padStart(3, '0')}`;
}

/**
 * Pods with no resource requests: the nodes' pod count (110 each) is the only limit.
 * Unschedulable ones ask for a node label no node has, so they stay Pending: the
 * controllers' work without the scheduler's and kubelets'.
 */
export function benchDeployment(namespace: string, i: number, replicas: number, unschedulable = false): Deployment {
  const name = deploymentName(i);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { bench: 'controller-manager' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, bench: 'controller-manager' } },
        spec: {
          terminationGracePeriodSeconds: 1,
          ...(unschedulable ? { nodeSelector: { 'bench.tkube.io/no-such-node': 'true' } } : {}),
          containers: [{ name: 'main', image: 'busybox:1.35', command: ['sleep', '3600'] }],
        },
      },
    },
  };
}

/** Runs task(i) for i in [0, count) with `workers` at a time; the first failure rejects. */
export async function inParallel(count: number, workers: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(workers, count) }, worker));
}
