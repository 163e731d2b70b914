/**
 * Exponential back-off in the shape of grpc-js' BackoffTimeout: `runOnce()` arms a timer
 * that calls the callback after the current delay, then grows the delay for next time;
 * `reset()` returns to the initial delay once things work again.
 */

import type { Clock, Timer } from './clock.js';
import { realClock } from './clock.js';

export const INITIAL_BACKOFF_MS = 800;
export const BACKOFF_MULTIPLIER = 2;
/** Spreads retries by up to ±20% so many clients that failed together do not retry together. */
export const BACKOFF_JITTER = 0.2;
export const MAX_BACKOFF_MS = 30_000;

export interface BackoffOptions {
  initialDelayMs?: number;
  multiplier?: number;
  /** Fraction of the delay added or removed at random, 0 for none. */
  jitter?: number;
  maxDelayMs?: number;
  clock?: Clock;
  /** Returns a number in [0, 1); injectable for tests. */
  random?: () => number;
}

export class Backoff {
  private readonly initialDelayMs: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly maxDelayMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private nextDelayMs: number;
  private timer: Timer | undefined;

  constructor(
    private readonly callback: () => void,
    options: BackoffOptions = {},
  ) {
    this.initialDelayMs = options.initialDelayMs ?? INITIAL_BACKOFF_MS;
    this.multiplier = options.multiplier ?? BACKOFF_MULTIPLIER;
    this.jitter = options.jitter ?? BACKOFF_JITTER;
    this.maxDelayMs = options.maxDelayMs ?? MAX_BACKOFF_MS;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.nextDelayMs = this.initialDelayMs;
  }

  /** Arms the timer (once: a second call while running does nothing). Returns the delay used. */
  runOnce(): number {
    if (this.timer) return 0;
    const base = this.nextDelayMs;
    const delay = Math.min(this.maxDelayMs, Math.max(0, base + base * this.jitter * (this.random() * 2 - 1)));
    this.nextDelayMs = Math.min(this.maxDelayMs, base * this.multiplier);
    this.timer = this.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.callback();
    });
    return delay;
  }

  /** Cancels a pending timer; the callback will not run. */
  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Back to the initial delay (the pending timer, if any, keeps running). */
  reset(): void {
    this.nextDelayMs = this.initialDelayMs;
  }

  isRunning(): boolean {
    return this.timer !== undefined;
  }
}
