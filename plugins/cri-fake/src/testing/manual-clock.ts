/**
 * A Clock for tests: time stands still until `advance(ms)`, which fires the timers that
 * fall due, in due order.
 */

import type { Clock } from '../clock.js';

interface PendingTimer {
  dueAt: number;
  order: number;
  fire: () => void;
}

export class ManualClock implements Clock {
  private current: number;
  private readonly pending = new Set<PendingTimer>();
  private scheduled = 0;

  constructor(startMs = Date.UTC(2025, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  after(delayMs: number, fire: () => void): () => void {
    const timer: PendingTimer = { dueAt: this.current + Math.max(0, delayMs), order: this.scheduled++, fire };
    this.pending.add(timer);
    return () => this.pending.delete(timer);
  }

  /** Moves time forward, firing each timer at its own due time. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const next = [...this.pending]
        .filter((timer) => timer.dueAt <= target)
        .sort((a, b) => a.dueAt - b.dueAt || a.order - b.order)[0];
      if (!next) break;
      this.pending.delete(next);
      this.current = next.dueAt;
      next.fire();
    }
    this.current = target;
  }

  get pendingTimers(): number {
    return this.pending.size;
  }
}
