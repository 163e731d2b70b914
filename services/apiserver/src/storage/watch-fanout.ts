/**
 * Hands each event to the watchers whose prefix covers its key. Watchers of a prefix that
 * ends at a token boundary (every prefix storagePrefix makes) are indexed by it, so one
 * event costs one map lookup per token of its key plus the watchers it reaches, however
 * many watchers the store has.
 */
import type { BufferedWatch } from './buffered-watch.js';
import type { StorageEvent } from './types.js';

export class WatchFanout {
  private readonly byPrefix = new Map<string, Set<BufferedWatch>>();
  /** Watchers whose prefix ends inside a token: checked one by one. */
  private readonly unaligned = new Set<BufferedWatch>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(watch: BufferedWatch): void {
    this.count += 1;
    if (!isAligned(watch.prefix)) {
      this.unaligned.add(watch);
      return;
    }
    let watchers = this.byPrefix.get(watch.prefix);
    if (!watchers) {
      watchers = new Set();
      this.byPrefix.set(watch.prefix, watchers);
    }
    watchers.add(watch);
  }

  remove(watch: BufferedWatch): void {
    if (this.unaligned.delete(watch)) {
      this.count -= 1;
      return;
    }
    const watchers = this.byPrefix.get(watch.prefix);
    if (!watchers?.delete(watch)) return;
    this.count -= 1;
    if (watchers.size === 0) this.byPrefix.delete(watch.prefix);
  }

  dispatch(event: StorageEvent): void {
    if (this.count === 0) return;
    const key = event.key;
    if (this.byPrefix.size > 0) {
      offerAll(this.byPrefix.get(''), event);
      for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', dot + 1)) {
        offerAll(this.byPrefix.get(key.slice(0, dot + 1)), event);
      }
    }
    for (const watch of this.unaligned) if (key.startsWith(watch.prefix)) watch.offer(event);
  }

  /** Ends every watch (each still delivers what it has queued). */
  endAll(): void {
    for (const watchers of [...this.byPrefix.values()]) for (const watch of [...watchers]) watch.end();
    for (const watch of [...this.unaligned]) watch.end();
  }
}

function isAligned(prefix: string): boolean {
  return prefix === '' || prefix.endsWith('.');
}

function offerAll(watchers: Set<BufferedWatch> | undefined, event: StorageEvent): void {
  if (watchers) for (const watch of watchers) watch.offer(event);
}
