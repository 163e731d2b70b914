/**
 * Objects leave the storage carrying their revision as metadata.resourceVersion, set once
 * when the value enters the store's memory. The stored bytes cannot hold it (the revision
 * is known only after the write), and stamping once here spares every reader a copy of
 * objects that the watch cache shares.
 */
import type { KubeObject } from '@tkube/api';

/** Sets metadata.resourceVersion on an object the caller owns; returns it. */
export function stampRevision<T extends KubeObject>(object: T, revision: number): T {
  object.metadata = { ...object.metadata, resourceVersion: String(revision) };
  return object;
}
