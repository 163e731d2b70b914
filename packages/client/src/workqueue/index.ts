export { DelayingQueue } from './delaying-queue.js';
export type { WorkQueue } from './queue.js';
export { Queue } from './queue.js';
export type { RateLimiter } from './rate-limiters.js';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.js';
export type { RateLimitingQueueOptions } from './rate-limiting-queue.js';
export { RateLimitingQueue } from './rate-limiting-queue.js';
