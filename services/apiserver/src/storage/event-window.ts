/**
 * The recent history of a store: a bounded ring of events in revision order. It answers
 * "every event after revision r" for watch resume and undoes events for lists at an older
 * revision. Once full, each new event evicts the oldest, and the window then starts at
 * the evicted event's revision: anything older is compacted.
 */
import { RevisionCompactedError, type StorageEvent } from './types.js';

export interface WindowEntry {
  event: StorageEvent;
  /** The revision of event.previous (lists at an older revision restore it). */
  previousRevision: number | undefined;
}

export class EventWindow {
  private readonly ring: (WindowEntry | undefined)[];
  /** Index of the oldest entry. */
  private head = 0;
  private count = 0;
  private startRevision: number;

  constructor(
    readonly capacity: number,
    startRevision: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`event window capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<WindowEntry | undefined>(capacity);
    this.startRevision = startRevision;
  }

  /** Every event with a revision above this one is kept. */
  get oldestRevision(): number {
    return this.startRevision;
  }

  get size(): number {
    return this.count;
  }

  push(entry: WindowEntry): void {
    if (this.count === this.capacity) {
      const evicted = this.ring[this.head];
      if (evicted) this.startRevision = evicted.event.revision;
      this.ring[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
      return;
    }
    this.ring[(this.head + this.count) % this.capacity] = entry;
    this.count += 1;
  }

  /** Forgets every event: the window starts again at this revision. */
  reset(startRevision: number): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.startRevision = startRevision;
  }

  /** Throws RevisionCompactedError when events after this revision are no longer all kept. */
  assertKept(revision: number): void {
    if (revision < this.startRevision) throw new RevisionCompactedError(revision, this.startRevision);
  }

  /** The entries with a revision above `revision`, oldest first. */
  *after(revision: number): Generator<WindowEntry> {
    this.assertKept(revision);
    for (let i = this.firstAbove(revision); i < this.count; i++) yield this.at(i);
  }

  /** The entries with a revision above `revision`, newest first. */
  *newestFirstAbove(revision: number): Generator<WindowEntry> {
    this.assertKept(revision);
    const first = this.firstAbove(revision);
    for (let i = this.count - 1; i >= first; i--) yield this.at(i);
  }

  private at(offset: number): WindowEntry {
    const entry = this.ring[(this.head + offset) % this.capacity];
    if (!entry) throw new Error(`event window: no entry at offset ${offset}`);
    return entry;
  }

  /** The offset of the first entry with a revision above `revision` (binary search). */
  private firstAbove(revision: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at(middle).event.revision <= revision) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
