/**
 * Turns storage events into the watch events a client of one resource sees, filtered the
 * way kube's watch cache filters them: an object that starts matching the selectors is
 * ADDED, one that stops matching is DELETED (with its last matching state), and objects
 * that match neither before nor after are not mentioned.
 */
import { type KubeObject, type ResourceInfo, toStatusError, type WatchEvent } from '@tkube/api';
import { RevisionCompactedError, type StorageEvent, type StorageWatch, type StoredObject } from '../storage/types.js';
import { presentObject } from './object-meta.js';
import { watchExpired } from './registry-errors.js';
import type { Selection } from './selection.js';
import type { ResourceWatch } from './types.js';

export function toWatchEvent(info: ResourceInfo, selection: Selection, event: StorageEvent): WatchEvent | undefined {
  if (event.type === 'delete') {
    // The last state decides whether this watcher ever saw the object.
    const last = event.previous ?? event.object;
    return selection.matches(last) ? { type: 'DELETED', object: presentObject(info, last, event.revision) } : undefined;
  }
  const now = selection.matches(event.object);
  const before = event.previous !== undefined && selection.matches(event.previous);
  if (now && before) return { type: 'MODIFIED', object: presentObject(info, event.object, event.revision) };
  if (now) return { type: 'ADDED', object: presentObject(info, event.object, event.revision) };
  if (before && event.previous) return { type: 'DELETED', object: presentObject(info, event.previous, event.revision) };
  return undefined;
}

/**
 * A ResourceWatch over a storage watch: first `initial` (the synthetic ADDED events of a
 * watch without a resourceVersion), then every later change once, in revision order.
 * A failure of the storage stream ends the watch with an ERROR event carrying a Status.
 */
export function resourceWatch(
  info: ResourceInfo,
  selection: Selection,
  initial: StoredObject[],
  storageWatch: StorageWatch,
): ResourceWatch {
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    storageWatch.stop();
  };

  async function* events(): AsyncGenerator<WatchEvent> {
    try {
      for (const item of initial) {
        if (stopped) return;
        if (selection.matches(item.object)) {
          yield { type: 'ADDED', object: presentObject(info, item.object, item.revision) };
        }
      }
      for await (const event of storageWatch.events) {
        if (stopped) return;
        const out = toWatchEvent(info, selection, event);
        if (out) yield out;
      }
    } catch (err) {
      if (stopped) return;
      const status =
        err instanceof RevisionCompactedError ? watchExpired(err.requested, err.oldest) : toStatusError(err);
      yield { type: 'ERROR', object: status.toStatus() as unknown as KubeObject };
    } finally {
      stop();
    }
  }

  return { events: events(), stop };
}
