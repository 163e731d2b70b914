/**
 * Deployments, ReplicaSets and their pods on a test cluster, read through kubectl 1.35, and
 * a watch that follows how many of a Deployment's pods are ready at each moment.
 */
import type { Deployment, Pod, ReplicaSet } from '@tkube/api';
import type { TestCluster } from './cluster.js';
import { readyCondition } from './pods.js';

export async function listPods(cluster: TestCluster, namespace: string, selector: string): Promise<Pod[]> {
  const out = await cluster.kubectl(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json']);
  return (JSON.parse(out) as { items: Pod[] }).items;
}

/** Pods the ReplicaSet controller counts: not being deleted. */
export async function activePods(cluster: TestCluster, namespace: string, selector: string): Promise<Pod[]> {
  return (await listPods(cluster, namespace, selector)).filter((pod) => !pod.metadata?.deletionTimestamp);
}

export async function listReplicaSets(
  cluster: TestCluster,
  namespace: string,
  selector: string,
): Promise<ReplicaSet[]> {
  const out = await cluster.kubectl(['get', 'rs', '-n', namespace, '-l', selector, '-o', 'json']);
  return (JSON.parse(out) as { items: ReplicaSet[] }).items;
}

export async function getDeployment(cluster: TestCluster, namespace: string, name: string): Promise<Deployment> {
  return JSON.parse(await cluster.kubectl(['get', 'deploy', name, '-n', namespace, '-o', 'json'])) as Deployment;
}

/** Ready, and not on its way out: what a client of the Deployment can count on. */
export const isServing = (pod: Pod) => readyCondition(pod) === 'True' && !pod.metadata?.deletionTimestamp;

/**
 * Watches the pods of a selector and keeps, after each event, how many are serving: the
 * fewest seen is what a rolling update must never take below replicas - maxUnavailable.
 */
export function watchServingPods(cluster: TestCluster, namespace: string, selector: string) {
  const serving = new Map<string, boolean>();
  const counts: number[] = [];
  const watch = cluster.api.watch(
    `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
    (event) => {
      const pod = event.object as Pod;
      const name = pod.metadata?.name ?? '';
      if (event.type === 'DELETED') serving.delete(name);
      else if (event.type === 'ADDED' || event.type === 'MODIFIED') serving.set(name, isServing(pod));
      else return;
      counts.push([...serving.values()].filter(Boolean).length);
    },
  );
  return {
    opened: watch.opened,
    stop: () => watch.stop(),
    /** The serving counts after each event from `from` on (the initial ADDED events first). */
    countsSince: (from: number) => counts.slice(from),
    get events() {
      return counts.length;
    },
  };
}

/** The env of a pod's first container as NAME=value strings. */
export function envOf(pod: Pod): string[] {
  return (pod.spec?.containers[0]?.env ?? []).map((e) => `${e.name}=${e.value ?? ''}`);
}
