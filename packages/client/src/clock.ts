/**
 * Time as the work queue, the back-off and the informer see it. Production code uses
 * `realClock`; tests pass a FakeClock and step it, so delays of minutes run in
 * microseconds and nothing depends on the machine's speed.
 */

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences matter. */
  now(): number;
  /** Calls `callback` once, after `delayMs`. */
  setTimer(delayMs: number, callback: () => void): Timer;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs, callback) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return { cancel: () => clearTimeout(handle) };
  },
};

interface PendingTimer {
  at: number;
  /** Creation order, so timers due at the same time fire in the order they were set. */
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told to; due timers fire, in order, during `step`. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): Timer {
    const timer: PendingTimer = {
      at: this.current + Math.max(0, delayMs),
      seq: this.seq++,
      callback,
      cancelled: false,
    };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  /** Advances time by `ms`, firing every timer that falls due (also ones set meanwhile). */
  step(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = next.at;
      next.callback();
    }
    this.current = target;
  }

  /** Timers set and neither fired nor cancelled. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  private nextDue(limit: number): PendingTimer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let next: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.at > limit) continue;
      if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    }
    return next;
  }
}
