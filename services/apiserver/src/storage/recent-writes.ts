/**
 * The writes this apiserver made that its watch cache has not applied yet, by revision.
 *
 * The bucket keeps few values per key, so when the cache's consumer lags, a value can be
 * replaced by a later write to its key before the consumer reads it: the consumer then
 * sees a hole in the stream sequence. If this process made the missing writes, it knows
 * them (key and value), and the cache fills the hole from here instead of reloading.
 * Values are kept as the JSON that was written and parsed only when needed.
 */

export interface RecentWrite {
  key: string;
  /** The JSON written; undefined for a delete. */
  json: string | undefined;
}

/** Beyond this many unapplied writes the oldest are forgotten (the cache would reload). */
const MAX_KEPT = 100_000;

export class RecentWrites {
  private readonly writes = new Map<number, RecentWrite>();

  get size(): number {
    return this.writes.size;
  }

  record(revision: number, write: RecentWrite): void {
    this.writes.set(revision, write);
    if (this.writes.size > MAX_KEPT) {
      const oldest = this.writes.keys().next();
      if (!oldest.done) this.writes.delete(oldest.value);
    }
  }

  /** Whether every revision from `from` to `to` (inclusive) is known. */
  covers(from: number, to: number): boolean {
    for (let revision = from; revision <= to; revision++) if (!this.writes.has(revision)) return false;
    return true;
  }

  take(revision: number): RecentWrite | undefined {
    const write = this.writes.get(revision);
    if (write) this.writes.delete(revision);
    return write;
  }

  forget(revision: number): void {
    this.writes.delete(revision);
  }

  /** Forgets every write at or below the revision (the cache has moved past them). */
  forgetThrough(revision: number): void {
    for (const known of this.writes.keys()) if (known <= revision) this.writes.delete(known);
  }
}
