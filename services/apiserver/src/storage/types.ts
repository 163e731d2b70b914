/**
 * The storage contract: a versioned key-value store of JSON objects, the shape of a
 * JetStream KV bucket. The revision of each write is the resourceVersion of the object
 * written; revisions increase across the whole store, never per key.
 *
 * Two implementations keep this contract: NATS JetStream KV (the cluster's state) and an
 * in-memory one (unit tests). One contract test suite runs against both.
 */
import type { KubeObject } from '@tkube/api';

export interface StoredObject {
  key: string;
  object: KubeObject;
  /** The revision of the write that produced this value. */
  revision: number;
}

export type StorageEventType = 'put' | 'delete';

export interface StorageEvent {
  type: StorageEventType;
  key: string;
  /** The new value for puts; the last value before the delete for deletes. */
  object: KubeObject;
  /** The value before this event; absent when the put created the key. */
  previous?: KubeObject;
  revision: number;
}

export interface StorageSnapshot {
  items: StoredObject[];
  /** The revision the snapshot is consistent at: every write up to it, none after. */
  revision: number;
}

export interface StorageWatch {
  /** Events after the starting revision, each once, in revision order. */
  events: AsyncIterable<StorageEvent>;
  stop(): void;
}

/** Thrown by create when the key holds a live value. */
export class KeyExistsError extends Error {
  override name = 'KeyExistsError';
  constructor(readonly key: string) {
    super(`key ${key} already exists`);
  }
}

/** Thrown by update/delete when the key's revision is not the expected one (or it is gone). */
export class RevisionMismatchError extends Error {
  override name = 'RevisionMismatchError';
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number | undefined,
  ) {
    super(`key ${key}: expected revision ${expected}, found ${actual ?? 'none'}`);
  }
}

/** Thrown by watch when the starting revision is older than the kept history. */
export class RevisionCompactedError extends Error {
  override name = 'RevisionCompactedError';
  constructor(
    readonly requested: number,
    readonly oldest: number,
  ) {
    super(`revision ${requested} is older than the oldest kept revision ${oldest}`);
  }
}

export interface Storage {
  /** Writes a new key; KeyExistsError if it holds a live value. Returns the revision. */
  create(key: string, object: KubeObject): Promise<number>;
  get(key: string): Promise<StoredObject | undefined>;
  /**
   * The key's value as the watch cache holds it now, without asking the store: possibly a
   * moment behind acknowledged writes (of other apiservers too). For checks that tolerate
   * that, as kube's admission plugins read listers; read-only, shared with the cache.
   */
  peek(key: string): StoredObject | undefined;
  /** Compare-and-set on the key's current revision. Returns the new revision. */
  update(key: string, object: KubeObject, expectedRevision: number): Promise<number>;
  /** Deletes the key (compare-and-set when expectedRevision is given). Returns the delete's revision. */
  delete(key: string, expectedRevision?: number): Promise<number>;
  /**
   * Every live key under the prefix, consistent at one revision: the newest (after every
   * write acknowledged before the call), or `atRevision` when given (for paginated lists;
   * RevisionCompactedError when that revision is older than the kept history).
   */
  list(prefix: string, atRevision?: number): Promise<StorageSnapshot>;
  /** The newest revision the store has written. */
  currentRevision(): Promise<number>;
  /** Events for keys under the prefix with revision > fromRevision. */
  watch(prefix: string, fromRevision: number): Promise<StorageWatch>;
  close(): Promise<void>;
}
