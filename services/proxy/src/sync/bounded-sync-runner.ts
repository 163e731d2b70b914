/**
 * Runs the proxy's sync no more often than every `minIntervalMs` however many changes
 * arrive (they are coalesced into the next run), at least every `periodMs`, one run at a
 * time, and again after `retryMs` when a run failed (kube-proxy's BoundedFrequencyRunner).
 * A run is "full" when the last full one is `periodMs` old: the sync may skip an unchanged
 * world otherwise, but a full run rewrites it, repairing rules someone else removed.
 */
import { type Clock, realClock, type Timer } from '@tkube/client';

export interface BoundedSyncRunnerOptions {
  sync(full: boolean): Promise<void>;
  onError(err: unknown): void;
  minIntervalMs: number;
  periodMs: number;
  retryMs: number;
  clock?: Clock;
}

export class BoundedSyncRunner {
  private readonly clock: Clock;
  private timer: Timer | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | undefined;
  private requestedWhileRunning = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  private lastFull = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly options: BoundedSyncRunnerOptions) {
    this.clock = options.clock ?? realClock;
  }

  /** Starts with a full run now. */
  start(): void {
    this.schedule(0);
  }

  /** Something changed: run as soon as the minimum interval allows. */
  request(): void {
    if (this.running) {
      this.requestedWhileRunning = true;
      return;
    }
    this.schedule(this.lastStart + this.options.minIntervalMs - this.clock.now());
  }

  /** Cancels what is scheduled and waits for a run under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
  }

  /** Keeps the earliest of the scheduled run and one `delayMs` from now. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = this.clock.now() + Math.max(0, delayMs);
    if (this.timer && this.timerAt <= at) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(Math.max(0, delayMs), () => this.fire());
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    const now = this.clock.now();
    const full = now - this.lastFull >= this.options.periodMs;
    this.lastStart = now;
    if (full) this.lastFull = now;
    this.running = this.options.sync(full).then(
      () => this.finished(this.options.periodMs),
      (err: unknown) => {
        this.options.onError(err);
        // The next run must write everything, whatever the skipped state says.
        this.lastFull = Number.NEGATIVE_INFINITY;
        this.finished(this.options.retryMs);
      },
    );
  }

  private finished(nextInMs: number): void {
    this.running = undefined;
    this.schedule(nextInMs);
    if (this.requestedWhileRunning) {
      this.requestedWhileRunning = false;
      this.request();
    }
  }
}
