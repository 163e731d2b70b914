/** The garbage collector: ownerReferences, cascading deletion, foreground and orphan. */
import type { RunningController } from '../framework/types.js';
import type { GarbageCollectorConfig } from './garbage-collector.js';
import { GarbageCollector } from './garbage-collector.js';

export type { GarbageCollectorConfig } from './garbage-collector.js';
export { DEFAULT_GC_RESOURCES, FOREGROUND_FINALIZER, GarbageCollector, ORPHAN_FINALIZER } from './garbage-collector.js';

export function startGarbageCollector(config: GarbageCollectorConfig): RunningController {
  return new GarbageCollector(config).run();
}
