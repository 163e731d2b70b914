/**
 * One watcher's queue: events are pushed by the store as they happen and pulled by the
 * watcher at its own pace. A watcher that falls too far behind is ended rather than
 * allowed to hold up the store or grow without bound; it has been given every event up
 * to its end, so it resumes (or relists) from the last revision it saw.
 */
import type { StorageEvent, StorageWatch } from './types.js';

/** Compact the consumed front of the queue once it is this long and more than half of it. */
const COMPACT_AFTER = 1024;

export class BufferedWatch implements StorageWatch {
  readonly events: AsyncIterable<StorageEvent>;
  private queue: StorageEvent[] = [];
  private head = 0;
  private waiting: ((result: IteratorResult<StorageEvent>) => void) | undefined;
  private ended = false;
  private detached = false;

  constructor(
    readonly prefix: string,
    /** Events at or below this revision are not for this watcher. */
    readonly fromRevision: number,
    /** The most undelivered events held before the watch is ended. */
    private readonly capacity: number,
    /** Called once, when the watch ends or stops, to unregister it. */
    private readonly detach: (watch: BufferedWatch) => void,
  ) {
    this.events = { [Symbol.asyncIterator]: () => this.iterator() };
  }

  get isEnded(): boolean {
    return this.ended;
  }

  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues a replayed event; replays are bounded by the event window, not by capacity. */
  replay(event: StorageEvent): void {
    if (!this.ended && event.revision > this.fromRevision) this.enqueue(event);
  }

  /** Queues a live event; ends the watch when its queue is full. */
  offer(event: StorageEvent): void {
    if (this.ended || event.revision <= this.fromRevision) return;
    if (this.waiting === undefined && this.pending >= this.capacity) {
      this.end();
      return;
    }
    this.enqueue(event);
  }

  /** Ends the watch after the events already queued have been delivered. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.unregister();
    if (this.waiting && this.pending === 0) this.resolveWaiting({ value: undefined, done: true });
  }

  stop(): void {
    this.queue = [];
    this.head = 0;
    this.end();
  }

  private enqueue(event: StorageEvent): void {
    if (this.waiting) {
      this.resolveWaiting({ value: event, done: false });
      return;
    }
    this.queue.push(event);
  }

  private resolveWaiting(result: IteratorResult<StorageEvent>): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve?.(result);
  }

  private unregister(): void {
    if (this.detached) return;
    this.detached = true;
    this.detach(this);
  }

  private next(): Promise<IteratorResult<StorageEvent>> {
    if (this.pending > 0) return Promise.resolve({ value: this.dequeue(), done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiting) return Promise.reject(new Error('a storage watch has one reader at a time'));
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private dequeue(): StorageEvent {
    const event = this.queue[this.head];
    this.head += 1;
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return event;
  }

  private iterator(): AsyncIterator<StorageEvent> {
    return {
      next: () => this.next(),
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
