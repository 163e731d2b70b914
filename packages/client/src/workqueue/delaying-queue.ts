/**
 * A work queue whose items can be added after a delay (client-go's DelayingInterface).
 * An item already waiting is kept at its earliest ready time.
 */

import type { Clock, Timer } from '../clock.js';
import { realClock } from '../clock.js';
import { Queue } from './queue.js';

interface Scheduled {
  readyAt: number;
  timer: Timer;
}

export class DelayingQueue<T> extends Queue<T> {
  private readonly scheduled = new Map<T, Scheduled>();

  constructor(protected readonly clock: Clock = realClock) {
    super();
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.scheduled.get(item);
    if (existing && existing.readyAt <= readyAt) return;
    existing?.timer.cancel();
    const timer = this.clock.setTimer(delayMs, () => {
      this.scheduled.delete(item);
      this.add(item);
    });
    this.scheduled.set(item, { readyAt, timer });
  }

  /** Items waiting for their delay to pass. */
  delayedLen(): number {
    return this.scheduled.size;
  }

  override shutDown(): void {
    for (const { timer } of this.scheduled.values()) timer.cancel();
    this.scheduled.clear();
    super.shutDown();
  }
}
