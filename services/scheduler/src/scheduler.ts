/**
 * The scheduling loop (kube's scheduleOne): take the next pod from the queue, run the
 * scheduling cycle on a fresh snapshot (filter, score, pick), assume the pod on its node
 * in the cache and reserve it there, then bind it in the background: the next cycle
 * starts at once and already counts the pod on its node.
 *
 * When no node fits, the pod gets a FailedScheduling event and a PodScheduled=False
 * condition that say why, and waits as unschedulable until the cluster changes in a way
 * that may help. When binding fails, the reservation is undone, the assumption forgotten,
 * and the pod retried after its back-off.
 */
import type { Pod } from '@tkube/api';
import type { Logger } from 'pino';
import type { SchedulerCache } from './cache/cache.js';
import { CacheSnapshot } from './cache/snapshot.js';
import type { EventRecorder } from './events/recorder.js';
import { FitError } from './framework/fit-error.js';
import type { FrameworkRunner } from './framework/runner.js';
import { CycleState, type PodInfo } from './framework/types.js';
import { ASSIGNED_POD_DELETE } from './queue/cluster-events.js';
import type { QueuedPodInfo, SchedulingQueue } from './queue/scheduling-queue.js';
import {
  type PodConditionWriter,
  REASON_SCHEDULER_ERROR,
  REASON_UNSCHEDULABLE,
} from './status/pod-scheduled-condition.js';

export interface SchedulerOptions {
  queue: SchedulingQueue;
  cache: SchedulerCache;
  framework: FrameworkRunner;
  recorder: EventRecorder;
  conditions: PodConditionWriter;
  /** The pod as the informer has it now (undefined once deleted): a failed pod is requeued only if it still waits. */
  currentPod: (pod: Pod) => Pod | undefined;
  logger: Logger;
  /** Bindings under way at once; the loop waits when this many are (default 500). */
  maxBindingsInFlight?: number;
}

export interface CycleOutcome {
  pod: string;
  /** The node chosen, if any. */
  nodeName?: string;
  /** The failure's message, if none. */
  failure?: string;
}

const DEFAULT_MAX_BINDINGS_IN_FLIGHT = 500;
/** The longest run of scheduling cycles before the loop lets I/O in. */
const YIELD_EVERY_MS = 5;

export class Scheduler {
  private readonly snapshot = new CacheSnapshot();
  private bindingsInFlight = 0;
  private readonly bindings = new Set<Promise<void>>();
  private bindingSlot: (() => void) | undefined;
  private readonly maxBindings: number;
  /** Pods bound since start. */
  scheduledCount = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.maxBindings = options.maxBindingsInFlight ?? DEFAULT_MAX_BINDINGS_IN_FLIGHT;
  }

  /** Schedules pods until `signal` aborts; then waits for the bindings under way. */
  async run(signal: AbortSignal): Promise<void> {
    const { queue } = this.options;
    let lastYield = performance.now();
    while (!signal.aborted) {
      const next = await queue.pop(signal);
      if (!next) break;
      if (signal.aborted) {
        queue.giveBack(next);
        break;
      }
      this.scheduleOne(next, queue.cycle);
      if (this.bindingsInFlight >= this.maxBindings) await this.waitForBindingSlot();
      // Cycles are synchronous: let watch events and binding answers in every few
      // milliseconds, not after every pod, so that a backlog runs with warm caches.
      if (performance.now() - lastYield >= YIELD_EVERY_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    await this.waitForBindings();
  }

  /** Resolves once every binding started so far has finished. */
  async waitForBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  /** One scheduling cycle; the binding goes on in the background. */
  scheduleOne(queued: QueuedPodInfo, cycle: number): CycleOutcome {
    const { cache, framework, queue } = this.options;
    const podInfo = queued.podInfo;
    const pod = podInfo.pod;
    const name = describe(pod);
    if (pod.metadata?.deletionTimestamp || cache.isAssumed(pod)) {
      queue.done(queued.key);
      return { pod: name };
    }

    cache.updateSnapshot(this.snapshot);
    const state = new CycleState();
    let nodeName: string;
    try {
      nodeName = framework.schedulePod(state, podInfo, this.snapshot).nodeName;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof FitError) {
        this.failed(queued, cycle, message, REASON_UNSCHEDULABLE, err.diagnosis.unschedulablePlugins);
      } else {
        this.options.logger.error({ err, pod: name }, 'error scheduling pod; retrying');
        this.failed(queued, cycle, message, REASON_SCHEDULER_ERROR, new Set());
      }
      return { pod: name, failure: message };
    }

    // The pod counts on the node from now on, before the binding is even sent.
    const assumed: PodInfo = { ...podInfo, pod: { ...pod, spec: { ...pod.spec, nodeName } } as Pod };
    cache.assume(assumed, nodeName);
    const reserved = framework.reserve(state, assumed, nodeName);
    if (reserved.code !== 'Success') {
      cache.forget(pod);
      const message = reserved.reasons.join(', ');
      const plugins = new Set(reserved.plugin ? [reserved.plugin] : []);
      const reason = reserved.code === 'Error' ? REASON_SCHEDULER_ERROR : REASON_UNSCHEDULABLE;
      this.failed(queued, cycle, message, reason, reserved.code === 'Error' ? new Set() : plugins);
      return { pod: name, failure: message };
    }

    this.bindingsInFlight++;
    const binding = this.bindingCycle(state, queued, assumed, nodeName, cycle).finally(() => {
      this.bindingsInFlight--;
      this.bindings.delete(binding);
      const slot = this.bindingSlot;
      this.bindingSlot = undefined;
      slot?.();
    });
    this.bindings.add(binding);
    return { pod: name, nodeName };
  }

  private async bindingCycle(
    state: CycleState,
    queued: QueuedPodInfo,
    assumed: PodInfo,
    nodeName: string,
    cycle: number,
  ): Promise<void> {
    const { cache, framework, queue, recorder, logger } = this.options;
    const pod = queued.podInfo.pod;
    let status: Awaited<ReturnType<FrameworkRunner['bind']>>;
    try {
      status = await framework.bind(state, assumed, nodeName);
    } catch (err) {
      status = { code: 'Error', reasons: [err instanceof Error ? err.message : String(err)] };
    }
    if (status.code === 'Success') {
      cache.finishBinding(pod);
      this.scheduledCount++;
      queue.done(queued.key);
      recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned ${describe(pod)} to ${nodeName}`);
      logger.debug({ pod: describe(pod), node: nodeName }, 'bound pod');
      return;
    }
    framework.unreserve(state, assumed, nodeName);
    cache.forget(pod);
    // The node is free again: pods that failed for want of it may fit now.
    queue.moveOnEvent(ASSIGNED_POD_DELETE);
    const message = `binding rejected: ${status.reasons.join(', ')}`;
    logger.info({ pod: describe(pod), node: nodeName, reason: message }, 'binding failed; retrying after back-off');
    this.failed(queued, cycle, message, REASON_SCHEDULER_ERROR, new Set());
  }

  /** Reports why, then requeues the pod if it still waits for a node. */
  private failed(
    queued: QueuedPodInfo,
    cycle: number,
    message: string,
    reason: string,
    unschedulablePlugins: ReadonlySet<string>,
  ): void {
    const { queue, recorder, conditions, currentPod } = this.options;
    const current = currentPod(queued.podInfo.pod);
    const stillPending = current !== undefined && !current.spec?.nodeName && !current.metadata?.deletionTimestamp;
    if (stillPending) {
      queued.unschedulablePlugins = new Set(unschedulablePlugins);
      queue.addUnschedulable(queued, cycle);
    }
    queue.done(queued.key);
    if (!stillPending) return;
    recorder.event(current, 'Warning', 'FailedScheduling', message);
    conditions.markUnschedulable(current, reason, message);
  }

  private waitForBindingSlot(): Promise<void> {
    return new Promise((resolve) => {
      this.bindingSlot = resolve;
    });
  }
}

function describe(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
