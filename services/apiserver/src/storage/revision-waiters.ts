/**
 * Promises that resolve once a store has applied a given revision: how a consistent read
 * waits for the watch cache to catch up without polling. Waiters are kept sorted by
 * revision, so each applied revision costs O(1) when nobody is ready.
 */

interface Waiter {
  revision: number;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class RevisionWaiters {
  private readonly waiters: Waiter[] = [];

  get size(): number {
    return this.waiters.length;
  }

  /**
   * Resolves when notify() reports `revision` (or a later one) applied; rejects with
   * timeoutError() after timeoutMs.
   */
  wait(revision: number, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        revision,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(timeoutError());
        }, timeoutMs),
      };
      this.waiters.splice(this.insertionPoint(revision), 0, waiter);
    });
  }

  notify(applied: number): void {
    let ready = 0;
    while (ready < this.waiters.length && this.waiters[ready].revision <= applied) ready += 1;
    if (ready === 0) return;
    for (const waiter of this.waiters.splice(0, ready)) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  rejectAll(err: Error): void {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(err);
    }
  }

  private remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
  }

  private insertionPoint(revision: number): number {
    let low = 0;
    let high = this.waiters.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.waiters[middle].revision <= revision) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
