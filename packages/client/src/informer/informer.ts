/**
 * An informer keeps a local cache of one resource in step with the apiserver and tells
 * handlers what changed (client-go's shared informer and reflector).
 *
 * Contract:
 * - The cache is eventually consistent with the apiserver: it lags by the time events
 *   take to arrive, and may briefly miss changes while the watch is re-established.
 * - Events are ordered per object, not across objects.
 * - `hasSynced()` is true once one full list has been seen and stored. Start workers
 *   only then, or they act on an empty cache.
 * - Handlers see each change once: onAdd for a new object, onUpdate(old, new) for a
 *   new version, onDelete for a removed one. An event that repeats a version the cache
 *   already holds is dropped, so a re-listed or replayed object is never reported twice.
 * - After the watch broke and the informer had to list again, the differences between
 *   the cache and the new list are reported as the adds, updates and deletes that
 *   happened meanwhile; a delete seen only this way carries the last state the cache
 *   knew (client-go's DeletedFinalStateUnknown), not the final one.
 * - Handlers run on the informer's loop: they must return quickly and hand real work
 *   to a work queue (enqueue the key, see `objectKey`). The objects they receive are
 *   the cache's: read, never modify.
 *
 * The algorithm: list (in pages), remember the list's resourceVersion, watch from it,
 * advance the version with every event and bookmark. A watch that ends is resumed from
 * the last version; one that fails with 410 Expired (the version is no longer kept, or
 * the server never had it) makes the informer forget the version and list again.
 * Failures back off exponentially; the informer never gives up until stopped.
 */

import type { KubeList, KubeObject, StatusError, WatchEvent } from '@tkube/api';
import { toStatusError } from '@tkube/api';
import type { BackoffOptions } from '../backoff.js';
import { Backoff } from '../backoff.js';
import type { ListOptions, ResourceTarget, WatchOptions, WatchStream } from '../types.js';
import { objectKey } from './object-key.js';
import type { Indexers, StoreReader } from './store.js';
import { Store } from './store.js';

/** What an informer needs of a client: ApiClient, or a fake in tests. */
export interface ListWatchClient {
  list<T extends KubeObject>(target: ResourceTarget, options?: ListOptions): Promise<KubeList<T>>;
  watch<T extends KubeObject>(target: ResourceTarget, options?: WatchOptions): WatchStream<T>;
}

export interface EventHandler<T extends KubeObject> {
  onAdd?(object: T): void;
  onUpdate?(oldObject: T, newObject: T): void;
  onDelete?(object: T): void;
}

export interface InformerOptions<T extends KubeObject> {
  client: ListWatchClient;
  /** The resource to follow; with `namespace`, only that namespace. */
  resource: ResourceTarget;
  labelSelector?: string;
  fieldSelector?: string;
  /** Indexes besides the namespace index every store has. */
  indexers?: Indexers<T>;
  /** Objects per list page; 0 lists everything in one call. */
  pageSize?: number;
  /** Back-off after failures (list or watch errors, a watch that ends at once). */
  backoff?: BackoffOptions;
  /** Told about list and watch failures (the informer retries them) and handler exceptions. */
  onError?: (error: StatusError) => void;
}

const DEFAULT_PAGE_SIZE = 500;

export class Informer<T extends KubeObject = KubeObject> {
  private readonly store: Store<T>;
  private readonly handlers = new Set<EventHandler<T>>();
  private readonly backoff: Backoff;
  private resourceVersion = '';
  private synced = false;
  private readonly syncWaiters = new Set<(synced: boolean) => void>();
  private running: Promise<void> | undefined;
  private stopped = false;
  private currentWatch: WatchStream<T> | undefined;
  private wakeUp: (() => void) | undefined;
  /** Failures since the last success: the first 410 relists at once, repeats back off. */
  private failures = 0;

  constructor(private readonly options: InformerOptions<T>) {
    this.store = new Store<T>(options.indexers);
    this.backoff = new Backoff(() => this.wakeUp?.(), options.backoff);
  }

  /** The cache. Read-only for everyone but the informer. */
  get cache(): StoreReader<T> {
    return this.store;
  }

  /**
   * Adds a handler. A handler added after objects are cached gets onAdd for each of
   * them first, so it sees the same world as one added before start. Returns a remover.
   */
  addEventHandler(handler: EventHandler<T>): () => void {
    this.handlers.add(handler);
    for (const object of this.store.list()) this.call(() => handler.onAdd?.(object));
    return () => {
      this.handlers.delete(handler);
    };
  }

  /** Starts following the resource in the background; a second call does nothing. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.run();
  }

  /** Stops the loop and the open watch; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.currentWatch?.stop();
    this.backoff.stop();
    this.wakeUp?.();
    for (const waiter of this.syncWaiters) waiter(false);
    this.syncWaiters.clear();
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if the informer is stopped (or `signal` aborts) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (synced: boolean) => {
        this.syncWaiters.delete(settle);
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      const onAbort = () => settle(false);
      this.syncWaiters.add(settle);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The resourceVersion the informer would resume from ("" before the first list). */
  lastSyncResourceVersion(): string {
    return this.resourceVersion;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        if (this.stopped) break;
        const delivered = await this.watchOnce();
        if (delivered) {
          this.failures = 0;
          this.backoff.reset();
        } else if (!this.stopped) {
          // A stream that ends before a single event: the server is going away, or
          // refuses us quietly. Resume, but not in a tight loop.
          await this.pause();
        }
      } catch (err) {
        if (this.stopped) break;
        const error = toStatusError(err);
        this.failures++;
        this.report(error);
        if (mustRelist(error)) {
          this.resourceVersion = '';
          if (this.failures === 1) continue;
        }
        await this.pause();
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.listAll();
    if (this.stopped) return;
    this.replace(list.items, list.metadata.resourceVersion ?? '');
    this.failures = 0;
    this.backoff.reset();
    if (!this.synced) {
      this.synced = true;
      for (const waiter of this.syncWaiters) waiter(true);
      this.syncWaiters.clear();
    }
  }

  /** Lists in pages at one resourceVersion; an expired continue token restarts with one full list. */
  private async listAll(): Promise<KubeList<T>> {
    const { client, resource } = this.options;
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE;
    const base: ListOptions = this.selectors();
    const first = await client.list<T>(resource, pageSize > 0 ? { ...base, limit: pageSize } : base);
    const items = [...first.items];
    let next = continueOf(first);
    try {
      while (next && !this.stopped) {
        const page = await client.list<T>(resource, { ...base, limit: pageSize, continue: next });
        items.push(...page.items);
        next = continueOf(page);
      }
    } catch (err) {
      if (!mustRelist(toStatusError(err))) throw err;
      return withTypes(await client.list<T>(resource, base));
    }
    return withTypes({ ...first, items });
  }

  /** Makes the cache equal the list, reporting each difference once. */
  private replace(items: T[], resourceVersion: string): void {
    const listed = new Set<string>();
    for (const object of items) {
      const key = objectKey(object);
      listed.add(key);
      this.apply(key, object);
    }
    for (const key of this.store.keys()) {
      if (listed.has(key)) continue;
      const last = this.store.delete(key);
      if (last) this.dispatch((h) => h.onDelete?.(last));
    }
    this.resourceVersion = resourceVersion;
  }

  /** Watches from the remembered version until the stream ends; true if any event came. */
  private async watchOnce(): Promise<boolean> {
    const watch = this.options.client.watch<T>(this.options.resource, {
      ...this.selectors(),
      resourceVersion: this.resourceVersion,
      allowWatchBookmarks: true,
    });
    this.currentWatch = watch;
    let delivered = false;
    try {
      if (this.stopped) return false;
      for await (const event of watch) {
        if (this.stopped) break;
        delivered = true;
        this.handleEvent(event);
      }
    } finally {
      watch.stop();
      this.currentWatch = undefined;
    }
    return delivered;
  }

  private handleEvent(event: WatchEvent<T>): void {
    const version = event.object.metadata?.resourceVersion;
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.apply(objectKey(event.object), event.object);
        break;
      case 'DELETED': {
        const last = this.store.delete(objectKey(event.object));
        if (last) this.dispatch((h) => h.onDelete?.(event.object));
        break;
      }
      case 'BOOKMARK':
      case 'ERROR':
        break;
    }
    if (version) this.resourceVersion = version;
  }

  /** Stores an object seen in a list or an event; reports it unless the cache holds this very version. */
  private apply(key: string, object: T): void {
    const cached = this.store.get(key);
    if (cached && sameVersion(cached, object)) return;
    this.store.upsert(object);
    if (cached) this.dispatch((h) => h.onUpdate?.(cached, object));
    else this.dispatch((h) => h.onAdd?.(object));
  }

  private dispatch(notify: (handler: EventHandler<T>) => void): void {
    for (const handler of this.handlers) this.call(() => notify(handler));
  }

  private call(notify: () => void): void {
    try {
      notify();
    } catch (err) {
      // One faulty handler must not stop the others, nor the informer.
      this.report(toStatusError(err));
    }
  }

  private report(error: StatusError): void {
    this.options.onError?.(error);
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => {
      this.wakeUp = () => {
        this.wakeUp = undefined;
        resolve();
      };
      if (this.stopped) this.wakeUp();
      else this.backoff.runOnce();
    });
  }

  private selectors(): { labelSelector?: string; fieldSelector?: string } {
    const { labelSelector, fieldSelector } = this.options;
    return {
      ...(labelSelector ? { labelSelector } : {}),
      ...(fieldSelector ? { fieldSelector } : {}),
    };
  }
}

/**
 * The remembered version is no use: 410 Expired/Gone (older than the kept history), or
 * "too large resource version" (the server never had it, as after a restore).
 */
function mustRelist(error: StatusError): boolean {
  if (error.code === 410) return true;
  return error.details?.causes?.some((cause) => cause.reason === 'ResourceVersionTooLarge') ?? false;
}

/**
 * The continue token. On the wire it is `metadata.continue`; the client-node model type
 * calls the field `_continue` (a reserved word in its generator), so read the wire name.
 */
function continueOf(list: KubeList): string | undefined {
  const token = (list.metadata as { continue?: unknown }).continue;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  return a.metadata?.resourceVersion === b.metadata?.resourceVersion && a.metadata?.uid === b.metadata?.uid;
}

/**
 * Items of a list usually omit apiVersion and kind (the list names them); watch events
 * carry them. Filling them in keeps an object's shape the same whichever way it came.
 */
function withTypes<T extends KubeObject>(list: KubeList<T>): KubeList<T> {
  const kind = list.kind?.endsWith('List') ? list.kind.slice(0, -'List'.length) : undefined;
  if (!kind || !list.apiVersion) return list;
  const apiVersion = list.apiVersion;
  return {
    ...list,
    items: list.items.map((item) => (item.kind && item.apiVersion ? item : { ...item, apiVersion, kind })),
  };
}
