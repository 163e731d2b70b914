/**
 * Applies the bucket's changes to the watch cache strictly in stream-sequence order.
 *
 * Stream sequences are contiguous, so the next change must be exactly the cache's
 * revision + 1. A sequence can go missing: the bucket keeps few values per key, and a
 * value replaced by a later write to its key before the consumer reached it is gone.
 * The applier then holds the changes after the hole and fills it from this process's
 * own recent writes; it waits a little for them, because the acknowledgement of a write
 * can arrive just after the message that reveals the hole. A hole it cannot fill means
 * lost events: it reports them (the feed reloads the cache). Nothing is applied twice.
 */
import type { KubeObject } from '@tkube/api';
import { RecentWrites } from './recent-writes.js';
import type { WatchCache } from './watch-cache.js';

export interface Change {
  revision: number;
  key: string;
  /** The new value; undefined for a delete. */
  object: KubeObject | undefined;
}

export interface SequenceApplierOptions {
  cache: WatchCache;
  /** Turns a recent write's JSON into the cache's object (parsed and stamped). */
  decode: (key: string, json: string, revision: number) => KubeObject | undefined;
  /** Called once per hole that could not be filled within holeWaitMs. */
  onLost: (expected: number, received: number) => void;
  holeWaitMs: number;
}

export class SequenceApplier {
  private readonly recentWrites = new RecentWrites();
  /** Changes after a hole, in order, waiting for it to be filled. */
  private held: Change[] = [];
  private holeTimer: NodeJS.Timeout | undefined;
  private filled = 0;

  constructor(private readonly options: SequenceApplierOptions) {}

  /** How many holes were filled from recent writes. */
  get filledHoles(): number {
    return this.filled;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** A write this process made and NATS acknowledged; json undefined for a delete. */
  recordWrite(revision: number, key: string, json: string | undefined): void {
    if (revision <= this.options.cache.revision) return;
    this.recentWrites.record(revision, { key, json });
    if (this.held.length > 0) this.drain();
  }

  /** The next change the consumer delivered. */
  push(change: Change): void {
    if (this.held.length === 0 && change.revision === this.options.cache.revision + 1) {
      this.apply(change);
      return;
    }
    this.held.push(change);
    this.drain();
  }

  /** Drops held changes (the consumer is being replaced) and, after a reload, older writes. */
  reset(reloadedAt?: number): void {
    this.held = [];
    clearTimeout(this.holeTimer);
    this.holeTimer = undefined;
    if (reloadedAt !== undefined) this.recentWrites.forgetThrough(reloadedAt);
  }

  private drain(): void {
    const { cache } = this.options;
    let next = 0;
    while (next < this.held.length) {
      const change = this.held[next];
      const expected = cache.revision + 1;
      if (change.revision > expected) {
        if (!this.recentWrites.covers(expected, change.revision - 1)) break;
        for (let revision = expected; revision < change.revision; revision++) this.applyRecentWrite(revision);
        this.filled += 1;
      }
      if (change.revision > cache.revision) this.apply(change);
      next += 1;
    }
    if (next === this.held.length) this.held = [];
    else if (next > 0) this.held = this.held.slice(next);
    if (this.held.length === 0) {
      clearTimeout(this.holeTimer);
      this.holeTimer = undefined;
    } else if (!this.holeTimer) {
      this.holeTimer = setTimeout(() => this.giveUp(), this.options.holeWaitMs);
    }
  }

  private giveUp(): void {
    this.holeTimer = undefined;
    const first = this.held[0];
    if (!first) return;
    const expected = this.options.cache.revision + 1;
    this.reset();
    this.options.onLost(expected, first.revision);
  }

  private apply(change: Change): void {
    this.recentWrites.forget(change.revision);
    if (change.object) this.options.cache.applyPut(change.key, change.object, change.revision);
    else this.options.cache.applyDelete(change.key, change.revision);
  }

  private applyRecentWrite(revision: number): void {
    const write = this.recentWrites.take(revision);
    if (!write) throw new Error(`no recent write at revision ${revision}`);
    const object = write.json === undefined ? undefined : this.options.decode(write.key, write.json, revision);
    this.apply({ revision, key: write.key, object });
  }
}
