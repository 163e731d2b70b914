/**
 * @tkube/client: how tkube's components talk to the apiserver. A gRPC client, informers
 * (a list+watch cache with event handlers) and client-go's rate-limited work queue.
 */

// Types
export type { ApiClientOptions } from './api-client.js';
// Values
export { ApiClient } from './api-client.js';
export type { BackoffOptions } from './backoff.js';
export { BACKOFF_JITTER, BACKOFF_MULTIPLIER, Backoff, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS } from './backoff.js';
export type { Clock, Timer } from './clock.js';
export { FakeClock, realClock } from './clock.js';
export type {
  EventHandler,
  Indexers,
  IndexFunc,
  InformerOptions,
  ListWatchClient,
  StoreReader,
} from './informer/index.js';
export { Informer, NAMESPACE_INDEX, namespaceIndexFunc, objectKey, Store, splitKey } from './informer/index.js';
export type {
  Campaign,
  CampaignLogger,
  CampaignOptions,
  LeaderCallbacks,
  LeaderElectionConfig,
  LeaderElectionRecord,
  LeaseClient,
  LockName,
} from './leader-election/index.js';
export {
  campaign,
  DEFAULT_LEASE_DURATION_MS,
  DEFAULT_RENEW_DEADLINE_MS,
  DEFAULT_RETRY_PERIOD_MS,
  formatMicroTime,
  JITTER_FACTOR,
  LEASE_DURATION_MS_ANNOTATION,
  LEASES,
  LeaderElector,
  LeaseLock,
  leaderElectionMetric,
} from './leader-election/index.js';
export type {
  ListOptions,
  PatchOptions,
  PatchType,
  ResourceTarget,
  WatchOptions,
  WatchStream,
  WriteOptions,
} from './types.js';
export type { RateLimiter, RateLimitingQueueOptions, WorkQueue } from './workqueue/index.js';
export {
  BucketRateLimiter,
  DelayingQueue,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  Queue,
  RateLimitingQueue,
} from './workqueue/index.js';
