import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import { DelayingQueue } from './delaying-queue.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.js';
import { RateLimitingQueue } from './rate-limiting-queue.js';

describe('DelayingQueue', () => {
  it('adds an item only once its delay has passed', () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue<string>(clock);
    queue.addAfter('a', 100);
    expect(queue.len()).toBe(0);
    clock.step(99);
    expect(queue.len()).toBe(0);
    clock.step(1);
    expect(queue.len()).toBe(1);
  });

  it('keeps the earliest ready time of an item added twice', () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue<string>(clock);
    queue.addAfter('a', 100);
    queue.addAfter('a', 10);
    queue.addAfter('a', 500);
    clock.step(10);
    expect(queue.len()).toBe(1);
    clock.step(1000);
    expect(queue.len()).toBe(1);
    expect(queue.delayedLen()).toBe(0);
  });

  it('adds at once for a delay of zero, and drops delayed items on shutDown', () => {
    const clock = new FakeClock();
    const queue = new DelayingQueue<string>(clock);
    queue.addAfter('now', 0);
    queue.addAfter('later', 50);
    expect(queue.len()).toBe(1);
    queue.shutDown();
    clock.step(100);
    expect(queue.len()).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles per failure from 5 ms up to 1000 s, per item, until forgotten', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    expect([limiter.when('a'), limiter.when('a'), limiter.when('a')]).toEqual([5, 10, 20]);
    expect(limiter.when('b')).toBe(5);
    expect(limiter.numRequeues('a')).toBe(3);
    for (let i = 0; i < 100; i++) limiter.when('a');
    expect(limiter.when('a')).toBe(1_000_000);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.when('a')).toBe(5);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through, then spaces retries at the rate, refilling with time', () => {
    const clock = new FakeClock();
    const limiter = new BucketRateLimiter<string>(10, 2, clock);
    expect(limiter.when('a')).toBe(0);
    expect(limiter.when('b')).toBe(0);
    expect(limiter.when('c')).toBeCloseTo(100);
    expect(limiter.when('d')).toBeCloseTo(200);
    clock.step(1000);
    // 10 tokens came back: the debt of 2 is paid and the bucket is full again (2).
    expect([limiter.when('e'), limiter.when('f')]).toEqual([0, 0]);
    expect(limiter.when('g')).toBeCloseTo(100);
  });
});

describe('RateLimitingQueue', () => {
  it('requeues failures after growing delays and resets them on forget', () => {
    const clock = new FakeClock();
    const queue = new RateLimitingQueue<string>({ clock });

    queue.addRateLimited('key');
    expect(queue.numRequeues('key')).toBe(1);
    clock.step(4);
    expect(queue.len()).toBe(0);
    clock.step(1);
    expect(queue.len()).toBe(1);

    queue.addRateLimited('key');
    queue.addRateLimited('key');
    expect(queue.numRequeues('key')).toBe(3);

    queue.forget('key');
    expect(queue.numRequeues('key')).toBe(0);
  });

  it('with the default limiter, a storm of failures is held to the bucket rate', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    const delays = Array.from({ length: 120 }, (_, i) => limiter.when(`item-${i}`));
    expect(delays.slice(0, 100).every((d) => d === 5)).toBe(true);
    // The 101st first failure waits for the bucket: 100 ms at 10 qps.
    expect(delays[100]).toBeCloseTo(100);
    expect(delays[119]).toBeCloseTo(2000);
  });

  it('MaxOf forgets in every limiter', () => {
    const a = new ItemExponentialFailureRateLimiter<string>(1, 100);
    const b = new ItemExponentialFailureRateLimiter<string>(3, 100);
    const limiter = new MaxOfRateLimiter(a, b);
    expect(limiter.when('x')).toBe(3);
    expect(limiter.when('x')).toBe(6);
    limiter.forget('x');
    expect(a.numRequeues('x') + b.numRequeues('x')).toBe(0);
  });
});
