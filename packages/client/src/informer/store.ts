/**
 * The informer's cache: objects by key, plus indexes (client-go's Indexer). Readers get
 * the objects the informer holds; treat them as read-only, as in client-go: a change
 * made in place would change the cache behind the informer's back.
 */
import type { KubeObject } from '@tkube/api';
import { objectKey } from './object-key.js';

/** The index values of an object (several for, say, "every node a pod's volumes use"). */
export type IndexFunc<T> = (object: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

export function namespaceIndexFunc(object: KubeObject): string[] {
  return [object.metadata?.namespace ?? ''];
}

/** What handlers and controllers read (a lister). */
export interface StoreReader<T extends KubeObject> {
  get(key: string): T | undefined;
  list(): T[];
  keys(): string[];
  /** The objects whose index `indexName` has `value`. */
  byIndex(indexName: string, value: string): T[];
  readonly size: number;
}

export class Store<T extends KubeObject> implements StoreReader<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers: Indexers<T>;
  /** index name -> index value -> keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Indexers<T> = {}) {
    this.indexers = { [NAMESPACE_INDEX]: namespaceIndexFunc, ...indexers };
    for (const name of Object.keys(this.indexers)) this.indices.set(name, new Map());
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  byIndex(indexName: string, value: string): T[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`no index named "${indexName}"; the store has ${[...this.indices.keys()].join(', ')}`);
    const keys = index.get(value);
    if (!keys) return [];
    const objects: T[] = [];
    for (const key of keys) {
      const object = this.items.get(key);
      if (object) objects.push(object);
    }
    return objects;
  }

  /** Stores the object under its key; returns what it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKey(object);
    const previous = this.items.get(key);
    if (previous) this.unindex(key, previous);
    this.items.set(key, object);
    this.index(key, object);
    return previous;
  }

  /** Removes the key; returns what was there. */
  delete(key: string): T | undefined {
    const previous = this.items.get(key);
    if (!previous) return undefined;
    this.unindex(key, previous);
    this.items.delete(key);
    return previous;
  }

  private index(key: string, object: T): void {
    for (const [name, indexFunc] of Object.entries(this.indexers)) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const value of indexFunc(object)) {
        let keys = index.get(value);
        if (!keys) {
          keys = new Set();
          index.set(value, keys);
        }
        keys.add(key);
      }
    }
  }

  private unindex(key: string, object: T): void {
    for (const [name, indexFunc] of Object.entries(this.indexers)) {
      const index = this.indices.get(name) as Map<string, Set<string>>;
      for (const value of indexFunc(object)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}
