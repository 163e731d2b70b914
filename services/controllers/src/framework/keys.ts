/**
 * Work-queue keys: "namespace/name" (or "name" for cluster-scoped objects), the same
 * keys the informer caches use. Delete events may carry a tombstone-like object; the key
 * only reads metadata, so any object works.
 */
import type { KubeObject } from '@tkube/api';
import { objectKey, splitKey as splitObjectKey } from '@tkube/client';

export function keyOf(object: KubeObject): string {
  return objectKey(object);
}

export function splitKey(key: string): { namespace: string; name: string } {
  const { namespace, name } = splitObjectKey(key);
  return { namespace: namespace ?? '', name };
}
