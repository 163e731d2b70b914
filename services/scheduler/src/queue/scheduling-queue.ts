/**
 * The scheduling queue (kube's PriorityQueue in internal/queue), three parts:
 *
 * - activeQ: pods to schedule now, a heap by spec.priority (higher first), then by when
 *   they entered the queue (kube's PrioritySort; a new pod enters at its creation).
 * - backoffQ: pods that failed and wait out their back-off: 1 s doubling per attempt up to
 *   10 s. Flushed into activeQ every second.
 * - unschedulable: pods no node could take. They stay until a cluster event may help them
 *   (a node added or changed, a pod deleted...: see cluster-events.ts), then go back
 *   to backoffQ or activeQ; a pod left there longer than a minute goes back anyway.
 *
 * A cluster event that arrives while a pod is being scheduled could be missed by that pod
 * (its cycle read the cluster before the event): such a pod goes to backoffQ instead of
 * waiting in unschedulable for an event that already happened (kube's moveRequestCycle).
 */
import type { Pod } from '@tkube/api';
import { type Clock, realClock, type Timer } from '@tkube/client';
import { podKey } from '../cache/cache.js';
import type { PodInfo } from '../framework/types.js';
import { type ClusterEvent, mayHelp, UNSCHEDULABLE_TIMEOUT } from './cluster-events.js';
import { KeyedHeap } from './heap.js';

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
export const BACKOFF_FLUSH_INTERVAL_MS = 1_000;
export const UNSCHEDULABLE_FLUSH_INTERVAL_MS = 30_000;
export const MAX_UNSCHEDULABLE_MS = 60_000;

export interface QueuedPodInfo {
  readonly key: string;
  podInfo: PodInfo;
  /** When it last entered the queue (its creation for a new pod, its last failure after that). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Plugins that refused it in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
  /** Tie-breaker: FIFO among equals. */
  seq: number;
}

export interface SchedulingQueueOptions {
  podInfoOf: (pod: Pod) => PodInfo;
  clock?: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  maxUnschedulableMs?: number;
  /** Told when pods move on a cluster event (for logs). */
  onMove?: (event: ClusterEvent, moved: number) => void;
}

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly podInfoOf: (pod: Pod) => PodInfo;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((p) => p.key, byPriorityThenTime);
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Popped and not yet done: being scheduled or bound. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private seq = 0;
  private waiter: ((pod: QueuedPodInfo | undefined) => void) | undefined;
  private closed = false;
  private timers: Timer[] = [];

  constructor(private readonly options: SchedulingQueueOptions) {
    this.clock = options.clock ?? realClock;
    this.podInfoOf = options.podInfoOf;
    this.initialBackoffMs = options.initialBackoffMs ?? INITIAL_BACKOFF_MS;
    this.maxBackoffMs = options.maxBackoffMs ?? MAX_BACKOFF_MS;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? MAX_UNSCHEDULABLE_MS;
    this.backoffQ = new KeyedHeap<QueuedPodInfo>(
      (p) => p.key,
      (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
    );
  }

  /** Starts the periodic flushes. */
  run(): void {
    const every = (ms: number, fn: () => void) => {
      const tick = () => {
        if (this.closed) return;
        fn();
        this.timers.push(this.clock.setTimer(ms, tick));
      };
      this.timers.push(this.clock.setTimer(ms, tick));
    };
    every(BACKOFF_FLUSH_INTERVAL_MS, () => this.flushBackoffCompleted());
    every(UNSCHEDULABLE_FLUSH_INTERVAL_MS, () => this.flushUnschedulableLeftover());
  }

  /** Ends waiting pops (they resolve undefined) and the flushes. */
  close(): void {
    this.closed = true;
    for (const timer of this.timers) timer.cancel();
    this.timers = [];
    this.wake(undefined);
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.has(key)) {
      this.update(pod);
      return;
    }
    this.pushActive({
      key,
      podInfo: this.podInfoOf(pod),
      timestamp: this.clock.now(),
      attempts: 0,
      unschedulablePlugins: new Set(),
      seq: this.seq++,
    });
  }

  /** A pending pod changed. An unschedulable pod whose spec or labels changed gets another try. */
  update(pod: Pod): void {
    const key = podKey(pod);
    const queued = this.activeQ.get(key) ?? this.backoffQ.get(key);
    if (queued) {
      queued.podInfo = this.podInfoOf(pod);
      if (this.activeQ.has(key)) this.activeQ.push(queued);
      else this.backoffQ.push(queued);
      return;
    }
    const waiting = this.unschedulable.get(key);
    if (waiting) {
      const changed = schedulingRelevantChange(waiting.podInfo.pod, pod);
      waiting.podInfo = this.podInfoOf(pod);
      if (changed) {
        this.unschedulable.delete(key);
        this.requeue(waiting);
      }
      return;
    }
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.podInfo = this.podInfoOf(pod);
      return;
    }
    this.add(pod);
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** The next pod to schedule; waits for one. Resolves undefined once the queue is closed or `signal` aborts. */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const next = this.takeActive();
    if (next) return Promise.resolve(next);
    return new Promise((resolve) => {
      const onAbort = () => {
        if (this.waiter === settle) this.waiter = undefined;
        resolve(undefined);
      };
      const settle = (pod: QueuedPodInfo | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(pod);
      };
      this.waiter = settle;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A popped pod that was not tried after all (the scheduler stopped): back to activeQ, attempt not counted. */
  giveBack(pod: QueuedPodInfo): void {
    this.inFlight.delete(pod.key);
    pod.attempts = Math.max(0, pod.attempts - 1);
    this.activeQ.push(pod);
  }

  /** The cycle number of the latest pop: pass it back to addUnschedulable. */
  get cycle(): number {
    return this.schedulingCycle;
  }

  /** The pod's scheduling (and binding) is over, whatever the outcome. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * A pod that could not be placed (unschedulablePlugins set), or failed with an error
   * (empty set), back into the queue: unschedulable, or backoffQ when a cluster event came
   * during its cycle or it failed with an error.
   */
  addUnschedulable(pod: QueuedPodInfo, podCycle: number): void {
    const key = pod.key;
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    pod.timestamp = this.clock.now();
    if (this.moveRequestCycle >= podCycle || pod.unschedulablePlugins.size === 0) this.backoffQ.push(pod);
    else this.unschedulable.set(key, pod);
  }

  /** A cluster event: unschedulable pods it may help go back to backoffQ or activeQ. */
  moveOnEvent(event: ClusterEvent): void {
    let moved = 0;
    for (const [key, pod] of this.unschedulable) {
      if (!mayHelp(event, pod.unschedulablePlugins)) continue;
      this.unschedulable.delete(key);
      this.requeue(pod);
      moved++;
    }
    this.moveRequestCycle = this.schedulingCycle;
    if (moved > 0) this.options.onMove?.(event, moved);
  }

  /** Pods whose back-off is over, into activeQ (run every second). */
  flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (let next = this.backoffQ.peek(); next && this.backoffExpiry(next) <= now; next = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(next);
    }
  }

  /** Pods unschedulable for longer than the limit get another try (run every 30 s). */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    const stale: QueuedPodInfo[] = [];
    for (const pod of this.unschedulable.values()) {
      if (now - pod.timestamp >= this.maxUnschedulableMs) stale.push(pod);
    }
    for (const pod of stale) {
      this.unschedulable.delete(pod.key);
      this.requeue(pod);
    }
    if (stale.length > 0) this.options.onMove?.(UNSCHEDULABLE_TIMEOUT, stale.length);
  }

  /** Counts per part, for tests and logs. */
  sizes(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return {
      active: this.activeQ.size,
      backoff: this.backoffQ.size,
      unschedulable: this.unschedulable.size,
      inFlight: this.inFlight.size,
    };
  }

  /** Where the pod waits, if it does. */
  whereIs(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** The back-off of a pod with `attempts` attempts: 1 s, 2 s, 4 s, 8 s, 10 s, 10 s... */
  backoffDuration(attempts: number): number {
    let duration = this.initialBackoffMs;
    for (let i = 1; i < attempts; i++) {
      duration *= 2;
      if (duration >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(duration, this.maxBackoffMs);
  }

  private backoffExpiry(pod: QueuedPodInfo): number {
    return pod.timestamp + this.backoffDuration(pod.attempts);
  }

  private requeue(pod: QueuedPodInfo): void {
    if (this.backoffExpiry(pod) > this.clock.now()) this.backoffQ.push(pod);
    else this.pushActive(pod);
  }

  private has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  private pushActive(pod: QueuedPodInfo): void {
    if (this.waiter) {
      // Someone waits: hand it over without touching the heap.
      const taken = this.take(pod);
      this.wake(taken);
      return;
    }
    this.activeQ.push(pod);
  }

  private takeActive(): QueuedPodInfo | undefined {
    const pod = this.activeQ.pop();
    return pod ? this.take(pod) : undefined;
  }

  private take(pod: QueuedPodInfo): QueuedPodInfo {
    this.schedulingCycle += 1;
    pod.attempts += 1;
    this.inFlight.set(pod.key, pod);
    return pod;
  }

  private wake(pod: QueuedPodInfo | undefined): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.(pod);
  }
}

function byPriorityThenTime(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.podInfo.pod.spec?.priority ?? 0;
  const pb = b.podInfo.pod.spec?.priority ?? 0;
  if (pa !== pb) return pa > pb;
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp;
  return a.seq < b.seq;
}

/** kube's isPodUpdated: anything but status and bookkeeping metadata. */
function schedulingRelevantChange(oldPod: Pod, newPod: Pod): boolean {
  const strip = (pod: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, ...meta } = pod.metadata ?? {};
    return JSON.stringify({ meta, spec: pod.spec });
  };
  return strip(oldPod) !== strip(newPod);
}
