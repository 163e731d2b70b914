/**
 * The work queue of client-go (util/workqueue), the spine of every controller:
 * - an item added twice before a worker takes it is queued once;
 * - an item a worker is processing is never handed to a second worker;
 * - an item added while in process is queued again when the worker calls `done`.
 * Items are compared by identity (===): use keys ("namespace/name"), not objects.
 */

export interface WorkQueue<T> {
  add(item: T): void;
  /** The next item, waiting for one; undefined once the queue is shut down and empty. */
  get(): Promise<T | undefined>;
  /** Marks the item processed; must follow every `get` that returned it. */
  done(item: T): void;
  /** Items waiting (not counting those in process). */
  len(): number;
  /** Stops accepting items; waiting workers get undefined once the queue is empty. */
  shutDown(): void;
  shuttingDown(): boolean;
}

export class Queue<T> implements WorkQueue<T> {
  /** FIFO of items waiting; every one of them is also in `dirty`. */
  private waiting: T[] = [];
  private head = 0;
  /** Items that need processing: waiting, or re-added while in process. */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly workers: Array<(item: T | undefined) => void> = [];
  private isShuttingDown = false;

  add(item: T): void {
    if (this.isShuttingDown || this.dirty.has(item)) return;
    this.dirty.add(item);
    // In process: `done` will queue it again, so one worker at a time sees it.
    if (this.processing.has(item)) return;
    this.enqueue(item);
  }

  get(): Promise<T | undefined> {
    const item = this.take();
    if (item !== undefined) return Promise.resolve(item);
    if (this.isShuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.workers.push(resolve));
  }

  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) this.enqueue(item);
  }

  len(): number {
    return this.waiting.length - this.head;
  }

  shutDown(): void {
    this.isShuttingDown = true;
    // Workers waiting now have nothing left to wait for: the queue is empty, or they
    // would not be waiting.
    for (const worker of this.workers.splice(0)) worker(undefined);
  }

  shuttingDown(): boolean {
    return this.isShuttingDown;
  }

  private enqueue(item: T): void {
    const worker = this.workers.shift();
    if (worker) {
      this.dirty.delete(item);
      this.processing.add(item);
      worker(item);
      return;
    }
    this.waiting.push(item);
  }

  private take(): T | undefined {
    if (this.len() === 0) return undefined;
    const item = this.waiting[this.head] as T;
    this.head++;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    this.processing.add(item);
    return item;
  }
}
