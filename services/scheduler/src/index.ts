/**
 * @tkube/scheduler: kube-scheduler's design in TypeScript: a cache of nodes with assumed
 * pods, a scheduling queue with back-off, and a framework that runs Filter/Score plugins
 * and binds through pods/binding.
 */

// Values
export { DefaultBinder } from './binder/default-binder.js';
// Types
export type { SchedulerCacheOptions } from './cache/cache.js';
export { podKey, SchedulerCache } from './cache/cache.js';
export { CacheSnapshot } from './cache/snapshot.js';
export type { SchedulerConfig } from './config/config.js';
export { DEFAULT_CONFIG } from './config/config.js';
export { parseFlags, USAGE } from './config/flags.js';
export { DEFAULT_SCHEDULER_NAME, isPendingFor, nodeEventHandler, podEventHandler } from './event-handlers.js';
export type { EventRecorder, EventSink, EventType } from './events/recorder.js';
export { QueuedEventRecorder } from './events/recorder.js';
export type { Diagnosis } from './framework/fit-error.js';
export { FitError, fitErrorMessage } from './framework/fit-error.js';
export type { FrameworkOptions, ScheduleResult } from './framework/runner.js';
export { FrameworkRunner, PluginError } from './framework/runner.js';
export { numFeasibleNodesToFind } from './framework/sampling.js';
export type * from './framework/types.js';
export { CycleState, isSuccess, SUCCESS, unresolvable, unschedulable } from './framework/types.js';
export { DEFAULT_SCORE_WEIGHTS } from './framework/weights.js';
export type { ClusterEvent } from './queue/cluster-events.js';
export type { QueuedPodInfo, SchedulingQueueOptions } from './queue/scheduling-queue.js';
export { SchedulingQueue } from './queue/scheduling-queue.js';
export type { CycleOutcome, SchedulerOptions } from './scheduler.js';
export { Scheduler } from './scheduler.js';
export type { RunningScheduler, StartSchedulerOptions } from './start-scheduler.js';
export { startScheduler } from './start-scheduler.js';
