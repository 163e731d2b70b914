/**
 * The in-memory state both storage implementations serve lists and watches from: every
 * live object, a bounded window of recent events, the open watches and the reads waiting
 * for a revision. It is fed writes in revision order (by MemoryStorage directly, by
 * NatsStorage from one KV watch) and does no per-event work proportional to the number
 * of objects or watchers.
 *
 * Objects are shared between the cache, lists and watch events: callers treat them as
 * read-only.
 */
import type { KubeObject } from '@tkube/api';
import { BufferedWatch } from './buffered-watch.js';
import { EventWindow } from './event-window.js';
import { LiveObjects } from './live-objects.js';
import { RevisionWaiters } from './revision-waiters.js';
import { tooLargeResourceVersion } from './storage-errors.js';
import type { StorageEvent, StorageSnapshot, StorageWatch, StoredObject } from './types.js';
import { WatchFanout } from './watch-fanout.js';

export interface WatchCacheOptions {
  /** How many recent events are kept for watch resume and lists at older revisions. */
  windowSize: number;
  /** How many undelivered events one watcher may hold before its watch is ended. */
  watcherBufferSize: number;
  /** The revision the cache starts at (its state is empty there). */
  startRevision?: number;
}

export class WatchCache {
  private readonly live = new LiveObjects();
  private readonly window: EventWindow;
  private readonly fanout = new WatchFanout();
  private readonly waiters = new RevisionWaiters();
  private applied: number;

  constructor(private readonly options: WatchCacheOptions) {
    this.applied = options.startRevision ?? 0;
    this.window = new EventWindow(options.windowSize, this.applied);
  }

  /** The newest revision applied. */
  get revision(): number {
    return this.applied;
  }

  /** Watches and lists may start at this revision or later. */
  get oldestRevision(): number {
    return this.window.oldestRevision;
  }

  get objectCount(): number {
    return this.live.size;
  }

  get watcherCount(): number {
    return this.fanout.size;
  }

  get(key: string): StoredObject | undefined {
    return this.live.get(key);
  }

  applyPut(key: string, object: KubeObject, revision: number): StorageEvent | undefined {
    if (!this.accepts(revision)) return undefined;
    const before = this.live.get(key);
    this.live.set({ key, object, revision });
    const event: StorageEvent = { type: 'put', key, object, revision };
    if (before) event.previous = before.object;
    this.record(event, before?.revision);
    return event;
  }

  /** Deleting a key the cache does not hold only advances the revision. */
  applyDelete(key: string, revision: number): StorageEvent | undefined {
    if (!this.accepts(revision)) return undefined;
    const before = this.live.get(key);
    if (!before) {
      this.advance(revision);
      return undefined;
    }
    this.live.delete(key);
    const event: StorageEvent = { type: 'delete', key, object: before.object, previous: before.object, revision };
    this.record(event, before.revision);
    return event;
  }

  /** Moves to a revision whose write changed nothing the cache serves. */
  advance(revision: number): void {
    if (!this.accepts(revision)) return;
    this.applied = revision;
    this.waiters.notify(revision);
  }

  /**
   * Replaces the whole state with a fresh read at `revision`. History before it is gone,
   * so every open watch ends (its watcher relists). The revision may even go back, when
   * the store underneath was made anew.
   */
  reset(items: Iterable<StoredObject>, revision: number): void {
    this.live.clear();
    for (const stored of items) this.live.set(stored);
    this.window.reset(revision);
    this.fanout.endAll();
    this.applied = revision;
    this.waiters.notify(revision);
  }

  /**
   * The live objects under the prefix, sorted by key, at the newest revision or at
   * `atRevision` (which must not be newer than the cache: wait for it first).
   */
  list(prefix: string, atRevision?: number): StorageSnapshot {
    if (atRevision !== undefined && atRevision > this.applied) throw tooLargeResourceVersion(atRevision, this.applied);
    if (atRevision === undefined || atRevision === this.applied) {
      return { items: this.live.select(prefix).sort(byKey), revision: this.applied };
    }
    this.window.assertKept(atRevision);
    const state = new Map(this.live.select(prefix).map((stored) => [stored.key, stored]));
    for (const { event, previousRevision } of this.window.newestFirstAbove(atRevision)) {
      if (!event.key.startsWith(prefix)) continue;
      const { key } = event;
      if (event.type === 'delete') {
        state.set(key, { key, object: event.object, revision: previousRevision ?? 0 });
      } else if (event.previous !== undefined && previousRevision !== undefined) {
        state.set(key, { key, object: event.previous, revision: previousRevision });
      } else {
        state.delete(key);
      }
    }
    return { items: [...state.values()].sort(byKey), revision: atRevision };
  }

  /** Events under the prefix after `fromRevision`: those kept, then every new one. */
  watch(prefix: string, fromRevision: number): StorageWatch {
    this.window.assertKept(fromRevision);
    const watch = new BufferedWatch(prefix, fromRevision, this.options.watcherBufferSize, (ended) =>
      this.fanout.remove(ended),
    );
    for (const { event } of this.window.after(fromRevision)) if (event.key.startsWith(prefix)) watch.replay(event);
    this.fanout.add(watch);
    return watch;
  }

  /** Resolves once `revision` is applied; rejects with "Too large resource version" after timeoutMs. */
  waitFor(revision: number, timeoutMs: number): Promise<void> {
    if (revision <= this.applied) return Promise.resolve();
    return this.waiters.wait(revision, timeoutMs, () => tooLargeResourceVersion(revision, this.applied));
  }

  /** Ends every watch and fails every waiting read. */
  close(reason: Error): void {
    this.fanout.endAll();
    this.waiters.rejectAll(reason);
  }

  private accepts(revision: number): boolean {
    return revision > this.applied;
  }

  private record(event: StorageEvent, previousRevision: number | undefined): void {
    this.applied = event.revision;
    this.window.push({ event, previousRevision });
    this.fanout.dispatch(event);
    this.waiters.notify(event.revision);
  }
}

function byKey(a: StoredObject, b: StoredObject): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
