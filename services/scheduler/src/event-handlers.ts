/**
 * What the node and pod informers tell the scheduler (kube's eventhandlers.go): bound pods
 * go to the cache (they take room on their node), pending pods of this scheduler go to the
 * queue, and changes that may help unschedulable pods move them back to be tried.
 *
 * A pod is pending for this scheduler while spec.nodeName is empty, spec.schedulerName is
 * ours, and it is not being deleted. A terminated pod (Succeeded, Failed) no longer takes
 * room: the cache drops it as if deleted.
 */

import type { Node, Pod } from '@tkube/api';
import type { EventHandler } from '@tkube/client';
import type { SchedulerCache } from './cache/cache.js';
import {
  ASSIGNED_POD_ADD,
  ASSIGNED_POD_DELETE,
  assignedPodUpdateEvent,
  NODE_ADD,
  nodeUpdateEvent,
} from './queue/cluster-events.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export function isAssigned(pod: Pod): boolean {
  return (pod.spec?.nodeName ?? '') !== '';
}

export function isTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Waiting for this scheduler to place it. */
export function isPendingFor(schedulerName: string, pod: Pod): boolean {
  return (
    !isAssigned(pod) &&
    (pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName &&
    !pod.metadata?.deletionTimestamp
  );
}

export function podEventHandler(
  schedulerName: string,
  cache: SchedulerCache,
  queue: SchedulingQueue,
): EventHandler<Pod> {
  return {
    onAdd(pod) {
      if (isAssigned(pod)) {
        if (isTerminated(pod)) return;
        cache.addPod(pod);
        queue.moveOnEvent(ASSIGNED_POD_ADD);
      } else if (isPendingFor(schedulerName, pod)) {
        queue.add(pod);
      }
    },
    onUpdate(oldPod, newPod) {
      if (isAssigned(newPod)) {
        if (!isAssigned(oldPod)) queue.delete(newPod);
        if (isTerminated(newPod)) {
          cache.removePod(newPod);
          if (!isTerminated(oldPod)) queue.moveOnEvent(ASSIGNED_POD_DELETE);
          return;
        }
        cache.updatePod(newPod);
        const event = isAssigned(oldPod) ? assignedPodUpdateEvent(oldPod, newPod) : ASSIGNED_POD_ADD;
        if (event) queue.moveOnEvent(event);
        return;
      }
      if (isPendingFor(schedulerName, newPod)) {
        // Our own assumption, echoed back before the binding lands: nothing to redo.
        if (!cache.isAssumed(newPod)) queue.update(newPod);
      } else {
        queue.delete(newPod);
      }
    },
    onDelete(pod) {
      if (isAssigned(pod)) {
        cache.removePod(pod);
        queue.moveOnEvent(ASSIGNED_POD_DELETE);
      } else {
        queue.delete(pod);
        // An assumed pod deleted before its binding was seen.
        cache.removePod(pod);
      }
    },
  };
}

export function nodeEventHandler(cache: SchedulerCache, queue: SchedulingQueue): EventHandler<Node> {
  return {
    onAdd(node) {
      cache.addNode(node);
      queue.moveOnEvent(NODE_ADD);
    },
    onUpdate(oldNode, newNode) {
      cache.updateNode(newNode);
      const event = nodeUpdateEvent(oldNode, newNode);
      if (event) queue.moveOnEvent(event);
    },
    onDelete(node) {
      cache.removeNode(node);
    },
  };
}
