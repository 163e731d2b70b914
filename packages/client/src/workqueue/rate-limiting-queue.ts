/**
 * The queue a controller uses: failed items come back after a delay chosen by a rate
 * limiter (`addRateLimited`), and `forget` clears an item's failures once it syncs.
 */

import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import { DelayingQueue } from './delaying-queue.js';
import type { RateLimiter } from './rate-limiters.js';
import { defaultControllerRateLimiter } from './rate-limiters.js';

export interface RateLimitingQueueOptions<T> {
  rateLimiter?: RateLimiter<T>;
  clock?: Clock;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> {
  private readonly rateLimiter: RateLimiter<T>;

  constructor(options: RateLimitingQueueOptions<T> = {}) {
    const clock = options.clock ?? realClock;
    super(clock);
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
  }

  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
