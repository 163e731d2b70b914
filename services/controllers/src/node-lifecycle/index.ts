/** The node lifecycle controller: node health from Leases, taints, and taint-based eviction. */
export type { NodeLifecycleControllerDeps } from './controller.js';
export {
  DEFAULT_GRACE_PERIOD_MS,
  DEFAULT_MONITOR_PERIOD_MS,
  DEFAULT_POD_EVICTION_TIMEOUT_MS,
  NODE_LEASE_NAMESPACE,
  startNodeLifecycleController,
} from './controller.js';
export { evictionDelaySeconds } from './eviction.js';
export { NODE_STATUS_UNKNOWN, STOPPED_POSTING_MESSAGE, unknownConditions } from './node-conditions.js';
export { NOT_READY_TAINT, reconcileTaints, tolerates, UNREACHABLE_TAINT } from './taints.js';
