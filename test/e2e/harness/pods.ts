/**
 * Pods on a test cluster through kubectl 1.35: apply a manifest, read a pod back, wait
 * for a state of it (polling kubectl, or reading a raw watch where timing matters).
 */
import type { Event, KubeObject, Pod } from '@tkube/api';
import type { TestCluster } from './cluster.js';
import { waitUntil } from './wait.js';

/** The node the test cluster's pods run on (no scheduler yet: pods name it). */
export const NODE = 'tkube-node-1';

/** `kubectl apply -f -` with each object as JSON on stdin, in order. */
export async function applyObjects(cluster: TestCluster, ...objects: KubeObject[]): Promise<void> {
  for (const object of objects) await cluster.kubectl(['apply', '-f', '-'], { input: JSON.stringify(object) });
}

export async function getPod(cluster: TestCluster, name: string): Promise<Pod> {
  return JSON.parse(await cluster.kubectl(['get', 'pod', name, '-o', 'json'])) as Pod;
}

/** Polls the pod until `check` holds; the error shows the pod's last status. */
export async function waitForPod(
  cluster: TestCluster,
  name: string,
  what: string,
  check: (pod: Pod) => boolean,
  timeoutMs = 20_000,
): Promise<Pod> {
  let last: Pod | undefined;
  try {
    await waitUntil(
      `pod ${name} ${what}`,
      async () => {
        last = await getPod(cluster, name);
        return check(last);
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(
      `${err instanceof Error ? err.message : String(err)}; last status: ${JSON.stringify(last?.status)}`,
    );
  }
  return last as Pod;
}

export const isRunning = (pod: Pod) =>
  pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c) => c.state?.running !== undefined);

export function containerStatus(pod: Pod, container: string) {
  const status = pod.status?.containerStatuses?.find((c) => c.name === container);
  if (!status) throw new Error(`pod ${pod.metadata?.name} has no status for container ${container}`);
  return status;
}

/** The Docker id of a container status ("docker://<id>"). */
export function dockerId(containerID: string | undefined): string {
  const match = /^docker:\/\/([0-9a-f]{64})$/.exec(containerID ?? '');
  if (!match?.[1]) throw new Error(`not a Docker container id: ${containerID}`);
  return match[1];
}

export function readyCondition(pod: Pod): string | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** The events about one object, oldest first. */
export async function eventsOf(cluster: TestCluster, name: string): Promise<Event[]> {
  const list = JSON.parse(
    await cluster.kubectl(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']),
  ) as { items: Event[] };
  return list.items;
}

/** Watches one pod through the API: each status it goes through, with when it was seen. */
export function watchPod(cluster: TestCluster, name: string, namespace = 'default') {
  const seen: Array<{ at: number; pod: Pod }> = [];
  const watch = cluster.api.watch(
    `/api/v1/namespaces/${namespace}/pods?fieldSelector=metadata.name%3D${encodeURIComponent(name)}`,
    (event) => {
      if (event.type === 'ADDED' || event.type === 'MODIFIED') seen.push({ at: Date.now(), pod: event.object as Pod });
    },
  );
  return {
    opened: watch.opened,
    seen,
    /** The first status seen at or after `since` that satisfies `check`. */
    async waitFor(what: string, check: (pod: Pod) => boolean, since: number, timeoutMs = 20_000) {
      let found: { at: number; pod: Pod } | undefined;
      await waitUntil(
        `pod ${name} ${what} (watch)`,
        () => {
          found = seen.find((s) => s.at >= since && check(s.pod));
          return found !== undefined;
        },
        timeoutMs,
        20,
      );
      return found as { at: number; pod: Pod };
    },
    stop: () => watch.stop(),
  };
}

/** A busybox:1.35 pod on the test node; containers default to a short grace period (busybox as pid 1 ignores SIGTERM). */
export function busyboxPod(name: string, spec: Partial<NonNullable<Pod['spec']>>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { test: name } },
    spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, ...spec },
  };
}

export const BUSYBOX = 'busybox:1.35';
