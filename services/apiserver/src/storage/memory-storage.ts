/**
 * The Storage contract in memory, for unit tests and single-process experiments: the
 * watch cache is the store itself. Revisions count writes across the whole store, as
 * JetStream's stream sequence does; history is kept for a bounded window of events.
 */
import type { KubeObject } from '@tkube/api';
import { stampRevision } from './stamp-revision.js';
import { FUTURE_REVISION_WAIT_MS, storageClosed, tooLargeResourceVersion } from './storage-errors.js';
import {
  KeyExistsError,
  RevisionMismatchError,
  type Storage,
  type StorageSnapshot,
  type StorageWatch,
  type StoredObject,
} from './types.js';
import { WatchCache } from './watch-cache.js';

export interface MemoryStorageOptions {
  /** Events kept for watch resume and lists at older revisions (default 10,000). */
  windowSize?: number;
  /** Undelivered events one watcher may hold before its watch is ended (default 10,000). */
  watcherBufferSize?: number;
}

export const DEFAULT_MEMORY_WINDOW = 10_000;
const DEFAULT_WATCHER_BUFFER = 10_000;

export class MemoryStorage implements Storage {
  private readonly cache: WatchCache;
  private closed = false;

  constructor(options: MemoryStorageOptions = {}) {
    this.cache = new WatchCache({
      windowSize: options.windowSize ?? DEFAULT_MEMORY_WINDOW,
      watcherBufferSize: options.watcherBufferSize ?? DEFAULT_WATCHER_BUFFER,
    });
  }

  async create(key: string, object: KubeObject): Promise<number> {
    this.assertOpen();
    if (this.cache.get(key)) throw new KeyExistsError(key);
    return this.put(key, object);
  }

  peek(key: string): StoredObject | undefined {
    this.assertOpen();
    return this.cache.get(key);
  }

  async get(key: string): Promise<StoredObject | undefined> {
    this.assertOpen();
    const stored = this.cache.get(key);
    // A copy, as a read from NATS would give: the caller may change it freely.
    return stored && { key, object: structuredClone(stored.object), revision: stored.revision };
  }

  async update(key: string, object: KubeObject, expectedRevision: number): Promise<number> {
    this.assertOpen();
    const current = this.cache.get(key);
    if (current?.revision !== expectedRevision)
      throw new RevisionMismatchError(key, expectedRevision, current?.revision);
    return this.put(key, object);
  }

  async delete(key: string, expectedRevision?: number): Promise<number> {
    this.assertOpen();
    const current = this.cache.get(key);
    if (!current || (expectedRevision !== undefined && current.revision !== expectedRevision)) {
      throw new RevisionMismatchError(key, expectedRevision ?? 0, current?.revision);
    }
    const revision = this.cache.revision + 1;
    this.cache.applyDelete(key, revision);
    return revision;
  }

  async list(prefix: string, atRevision?: number): Promise<StorageSnapshot> {
    this.assertOpen();
    if (atRevision !== undefined && atRevision > this.cache.revision) {
      throw tooLargeResourceVersion(atRevision, this.cache.revision);
    }
    return this.cache.list(prefix, atRevision);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen();
    return this.cache.revision;
  }

  async watch(prefix: string, fromRevision: number): Promise<StorageWatch> {
    this.assertOpen();
    // A revision from the future (a client that saw a store since made anew) waits briefly,
    // then fails with "Too large resource version" so the client relists, as kube's watch cache.
    await this.cache.waitFor(fromRevision, FUTURE_REVISION_WAIT_MS);
    return this.cache.watch(prefix, fromRevision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.close(storageClosed());
  }

  private put(key: string, object: KubeObject): number {
    const revision = this.cache.revision + 1;
    // A copy, as NATS would serialise it: the caller's later changes do not reach the store.
    this.cache.applyPut(key, stampRevision(structuredClone(object), revision), revision);
    return revision;
  }

  private assertOpen(): void {
    if (this.closed) throw storageClosed();
  }
}
