/**
 * The node lifecycle controller: follows each node's Lease in kube-node-lease; a node whose
 * Lease has not been seen renewed for the grace period gets its conditions set to Unknown,
 * and the node's taints follow its Ready condition (unreachable / not-ready, NoSchedule and
 * NoExecute). Pods on a node with NoExecute taints they do not tolerate are deleted once
 * their toleration runs out. Renewals are timed by when this controller saw them (kube's
 * probeTimestamp), on an injectable clock, so clock skew between machines does not matter.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Lease, Node, Pod } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import type { Clock, ResourceTarget } from '@tkube/client';
import { RateLimitingQueue, realClock } from '@tkube/client';
import type { ControllerClient, Logger, RunningController, SharedInformers } from '../framework/index.js';
import { keyOf, runController } from '../framework/index.js';
import { evictionDelaySeconds } from './eviction.js';
import { allUnknown, unknownConditions } from './node-conditions.js';
import { reconcileTaints } from './taints.js';

export const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };
export const PODS: ResourceTarget = { group: '', version: 'v1', resource: 'pods' };
export const LEASES: ResourceTarget = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export const DEFAULT_GRACE_PERIOD_MS = 40_000;
export const DEFAULT_POD_EVICTION_TIMEOUT_MS = 300_000;
export const DEFAULT_MONITOR_PERIOD_MS = 5_000;

export interface NodeLifecycleControllerDeps {
  client: ControllerClient;
  informers: SharedInformers;
  logger: Logger;
  /** --node-monitor-grace-period */
  gracePeriodMs?: number;
  /** --pod-eviction-timeout: the toleration of pods that have none for not-ready/unreachable. */
  podEvictionTimeoutMs?: number;
  /** --node-monitor-period: how often every node is checked. */
  monitorPeriodMs?: number;
  /** Times renewals, the grace period and evictions. */
  clock?: Clock;
  /** Wall time for the timestamps written on nodes. */
  now?: () => Date;
  workers?: number;
}

export function startNodeLifecycleController(deps: NodeLifecycleControllerDeps): RunningController {
  const { client, informers, logger } = deps;
  const clock = deps.clock ?? realClock;
  const now = deps.now ?? (() => new Date());
  const gracePeriodMs = deps.gracePeriodMs ?? DEFAULT_GRACE_PERIOD_MS;
  const defaultEvictionSeconds = (deps.podEvictionTimeoutMs ?? DEFAULT_POD_EVICTION_TIMEOUT_MS) / 1000;
  const monitorPeriodMs = deps.monitorPeriodMs ?? DEFAULT_MONITOR_PERIOD_MS;
  const nodes = informers.informerFor<Node>(NODES);
  const leases = informers.informerFor<Lease>(LEASES);
  const pods = informers.informerFor<Pod>(PODS);
  const queue = new RateLimitingQueue<string>({ clock });

  /** node name -> when (on `clock`) its lease was last seen renewed, or the node first seen. */
  const lastHeard = new Map<string, { renewTime: string | undefined; at: number }>();
  /** node name -> when (on `clock`) this controller first saw its NoExecute taints. */
  const taintedSince = new Map<string, number>();

  const heard = (name: string, renewTime: string | undefined) => {
    const previous = lastHeard.get(name);
    if (previous && previous.renewTime === renewTime) return;
    lastHeard.set(name, { renewTime, at: clock.now() });
  };

  nodes.addEventHandler({
    onAdd: (node) => {
      // A node not heard of yet gets the full grace period from now.
      if (!lastHeard.has(keyOf(node))) lastHeard.set(keyOf(node), { renewTime: undefined, at: clock.now() });
      queue.add(keyOf(node));
    },
    onUpdate: (_old, node) => queue.add(keyOf(node)),
    onDelete: (node) => {
      lastHeard.delete(keyOf(node));
      taintedSince.delete(keyOf(node));
    },
  });
  const onLease = (lease: Lease) => {
    if (lease.metadata?.namespace !== NODE_LEASE_NAMESPACE) return;
    const name = lease.metadata?.name ?? '';
    heard(name, lease.spec?.renewTime);
    queue.add(name);
  };
  leases.addEventHandler({ onAdd: onLease, onUpdate: (_old, lease) => onLease(lease) });

  let monitorTimer = clock.setTimer(monitorPeriodMs, function monitor() {
    for (const name of nodes.cache.keys()) queue.add(name);
    monitorTimer = clock.setTimer(monitorPeriodMs, monitor);
  });

  async function sync(name: string): Promise<void> {
    let node = nodes.cache.get(name);
    if (!node) return;
    const silentFor = clock.now() - (lastHeard.get(name)?.at ?? clock.now());
    if (silentFor > gracePeriodMs && !allUnknown(node)) {
      logger.info({ node: name, silentForMs: silentFor }, 'node stopped renewing its lease');
      node = await client.updateStatus(NODES, {
        ...node,
        status: { ...node.status, conditions: unknownConditions(node, now()) },
      });
    }
    const taints = reconcileTaints(node, now());
    if (!isDeepStrictEqual(taints, node.spec?.taints ?? [])) {
      node = await client.update(NODES, { ...node, spec: { ...node.spec, taints } });
    }
    await evictPods(name, taints);
  }

  async function evictPods(nodeName: string, taints: ReturnType<typeof reconcileTaints>): Promise<void> {
    const noExecute = taints.filter((t) => t.effect === 'NoExecute');
    if (noExecute.length === 0) {
      taintedSince.delete(nodeName);
      return;
    }
    const since = taintedSince.get(nodeName) ?? clock.now();
    taintedSince.set(nodeName, since);
    let nextCheck: number | undefined;
    for (const pod of pods.cache.list()) {
      if (pod.spec?.nodeName !== nodeName || pod.metadata?.deletionTimestamp) continue;
      const delaySeconds = evictionDelaySeconds(pod, noExecute, defaultEvictionSeconds);
      if (delaySeconds === undefined) continue;
      const due = since + delaySeconds * 1000;
      if (clock.now() >= due) {
        logger.info({ node: nodeName, pod: keyOf(pod) }, 'evicting a pod from a tainted node');
        await deletePod(pod);
      } else {
        nextCheck = nextCheck === undefined ? due : Math.min(nextCheck, due);
      }
    }
    if (nextCheck !== undefined) queue.addAfter(nodeName, nextCheck - clock.now());
  }

  async function deletePod(pod: Pod): Promise<void> {
    try {
      await client.delete({ ...PODS, namespace: pod.metadata?.namespace ?? '' }, pod.metadata?.name ?? '', {
        preconditions: { uid: pod.metadata?.uid },
      });
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }

  const running = runController({
    name: 'node-lifecycle',
    queue,
    workers: deps.workers ?? 1,
    sync,
    hasSynced: () => nodes.hasSynced() && leases.hasSynced() && pods.hasSynced(),
    logger,
  });
  return {
    name: running.name,
    async stop() {
      monitorTimer.cancel();
      await running.stop();
    },
  };
}
