/**
 * How long an item waits before it is retried (client-go's workqueue rate limiters).
 * The default controller limiter takes the larger of a per-item exponential back-off and
 * an overall token bucket, so one broken object backs off alone while a storm of
 * failures cannot exceed the bucket's rate.
 */

import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';

export interface RateLimiter<T> {
  /** The delay before the item's next retry; counts a failure. */
  when(item: T): number;
  /** Forgets the item's failures (it succeeded). */
  forget(item: T): void;
  numRequeues(item: T): number;
}

export const DEFAULT_ITEM_BASE_DELAY_MS = 5;
export const DEFAULT_ITEM_MAX_DELAY_MS = 1_000_000;
export const DEFAULT_BUCKET_QPS = 10;
export const DEFAULT_BUCKET_BURST = 100;

/** base * 2^failures, capped at max: 5 ms, 10 ms, 20 ms, ... 1000 s. */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    private readonly baseDelayMs = DEFAULT_ITEM_BASE_DELAY_MS,
    private readonly maxDelayMs = DEFAULT_ITEM_MAX_DELAY_MS,
  ) {}

  when(item: T): number {
    const failures = this.failures.get(item) ?? 0;
    this.failures.set(item, failures + 1);
    // 2^failures overflows to Infinity long after the cap, so min() keeps it finite.
    return Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** failures);
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket over all items (golang.org/x/time/rate): `burst` retries at once, then
 * `qps` per second. Each call reserves a token, so waits grow with the queue of retries.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;

  constructor(
    private readonly qps = DEFAULT_BUCKET_QPS,
    private readonly burst = DEFAULT_BUCKET_BURST,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay of several limiters. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    // Every limiter must see the failure, so no short-circuit.
    return this.limiters.map((l) => l.when(item)).reduce((a, b) => Math.max(a, b), 0);
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiters.map((l) => l.numRequeues(item)).reduce((a, b) => Math.max(a, b), 0);
  }
}

/** client-go's DefaultControllerRateLimiter: 5 ms..1000 s per item, 10 qps / 100 burst overall. */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(DEFAULT_ITEM_BASE_DELAY_MS, DEFAULT_ITEM_MAX_DELAY_MS),
    new BucketRateLimiter<T>(DEFAULT_BUCKET_QPS, DEFAULT_BUCKET_BURST, clock),
  );
}
