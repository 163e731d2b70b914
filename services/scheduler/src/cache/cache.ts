/**
 * The scheduler's cache (kube's internal/cache): every node with the pods placed on it,
 * fed by the node and pod informers, plus the pods the scheduler *assumed*: a pod counts
 * on its node from the moment the scheduling cycle reserves it there, before the binding
 * is written, and long before it comes back through the watch. That is what keeps a burst
 * of pods from over-committing a node: the next cycle already sees the first pod's
 * requests.
 *
 * An assumption ends one of three ways: the pod comes back bound through the informer
 * (confirmed), the binding fails (forget), or the binding succeeded but the pod never
 * showed up as bound within the TTL, as when it was deleted meanwhile (expired by
 * `cleanupExpired`, which the scheduler runs every second).
 *
 * Pods being deleted still count on their node until they are gone: their containers
 * may still run. Terminated pods (Succeeded, Failed) do not count: the caller passes them
 * as removed.
 */
import type { Node, Pod } from '@tkube/api';
import { type Clock, realClock } from '@tkube/client';
import type { NodeInfo, PodInfo } from '../framework/types.js';
import { interleaveByZone, zoneOf } from './node-order.js';
import { NodeState } from './node-state.js';
import type { CacheSnapshot } from './snapshot.js';

export interface SchedulerCacheOptions {
  /** Parses a pod once into what plugins read (requests, ports). */
  podInfoOf: (pod: Pod) => PodInfo;
  clock?: Clock;
  /** How long an assumed pod whose binding succeeded may wait to be seen bound (default 30 s). */
  assumedPodTtlMs?: number;
}

interface PodEntry {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
  /** When an assumed pod with a finished binding expires; undefined while binding. */
  deadline?: number;
}

export const DEFAULT_ASSUMED_POD_TTL_MS = 30_000;

export function podKey(pod: Pod): string {
  const meta = pod.metadata ?? {};
  return meta.uid || `${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeState>();
  private readonly pods = new Map<string, PodEntry>();
  /** Nodes changed since the snapshot was last brought up to date. */
  private readonly dirty = new Set<string>();
  private membershipChanged = true;
  private generation = 0;
  private readonly podInfoOf: (pod: Pod) => PodInfo;
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: SchedulerCacheOptions) {
    this.podInfoOf = options.podInfoOf;
    this.clock = options.clock ?? realClock;
    this.ttlMs = options.assumedPodTtlMs ?? DEFAULT_ASSUMED_POD_TTL_MS;
  }

  /** Nodes with a Node object. */
  get nodeCount(): number {
    let count = 0;
    for (const state of this.nodes.values()) if (state.node) count++;
    return count;
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const state = this.stateOf(name);
    if (!state.node) this.membershipChanged = true;
    state.setNode(node, this.nextGeneration());
    this.dirty.add(name);
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const state = this.nodes.get(name);
    if (!state) return;
    state.setNode(undefined, this.nextGeneration());
    // Pods still bound to it keep their entry (as kube's ghost node) until they are removed.
    if (state.podCount === 0) this.nodes.delete(name);
    this.membershipChanged = true;
  }

  /** Places `pod` on `nodeName` before its binding is written. Throws if the pod is already in the cache. */
  assume(pod: PodInfo, nodeName: string): void {
    const key = podKey(pod.pod);
    if (this.pods.has(key)) throw new Error(`pod ${describe(pod.pod)} is already in the scheduler cache`);
    this.place(key, { info: pod, nodeName, assumed: true });
  }

  /** The binding was written: start the assumption's TTL. */
  finishBinding(pod: Pod): void {
    const entry = this.pods.get(podKey(pod));
    if (entry?.assumed) entry.deadline = this.clock.now() + this.ttlMs;
  }

  /** The binding failed: take the assumed pod off its node. */
  forget(pod: Pod): void {
    const key = podKey(pod);
    const entry = this.pods.get(key);
    if (entry?.assumed) this.unplace(key, entry);
  }

  isAssumed(pod: Pod): boolean {
    return this.pods.get(podKey(pod))?.assumed ?? false;
  }

  /** A bound pod seen through the informer: confirms an assumption, or adds it. */
  addPod(pod: Pod): void {
    const nodeName = pod.spec?.nodeName ?? '';
    if (nodeName === '') return;
    const key = podKey(pod);
    const entry = this.pods.get(key);
    if (entry) this.unplace(key, entry);
    this.place(key, { info: this.podInfoOf(pod), nodeName, assumed: false });
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const entry = this.pods.get(key);
    if (entry) this.unplace(key, entry);
  }

  /** Drops assumed pods whose binding finished longer than the TTL ago; returns them. */
  cleanupExpired(): Pod[] {
    const now = this.clock.now();
    const expired: Pod[] = [];
    for (const [key, entry] of this.pods) {
      if (!entry.assumed || entry.deadline === undefined || entry.deadline > now) continue;
      this.unplace(key, entry);
      expired.push(entry.info.pod);
    }
    return expired;
  }

  /** The node's current view, for tests and diagnostics. */
  nodeInfo(nodeName: string): NodeInfo | undefined {
    return this.nodes.get(nodeName)?.info();
  }

  /** Brings `snapshot` up to date: only changed nodes are replaced. One snapshot per cache. */
  updateSnapshot(snapshot: CacheSnapshot): void {
    if (this.membershipChanged) {
      const infos: NodeInfo[] = [];
      for (const state of this.nodes.values()) {
        const info = state.info();
        if (info) infos.push(info);
      }
      snapshot.rebuild(interleaveByZone(infos, (info) => zoneOf(info.node)));
      this.membershipChanged = false;
    } else {
      for (const name of this.dirty) {
        const info = this.nodes.get(name)?.info();
        if (info) snapshot.replace(info);
      }
    }
    this.dirty.clear();
  }

  private place(key: string, entry: PodEntry): void {
    this.pods.set(key, entry);
    this.stateOf(entry.nodeName).addPod(key, entry.info, this.nextGeneration());
    this.dirty.add(entry.nodeName);
  }

  private unplace(key: string, entry: PodEntry): void {
    this.pods.delete(key);
    const state = this.nodes.get(entry.nodeName);
    if (!state) return;
    state.removePod(key, this.nextGeneration());
    this.dirty.add(entry.nodeName);
    if (!state.node && state.podCount === 0) this.nodes.delete(entry.nodeName);
  }

  private stateOf(name: string): NodeState {
    let state = this.nodes.get(name);
    if (!state) {
      state = new NodeState(name);
      this.nodes.set(name, state);
    }
    return state;
  }

  private nextGeneration(): number {
    this.generation += 1;
    return this.generation;
  }
}

function describe(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
