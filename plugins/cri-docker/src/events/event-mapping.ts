/**
 * Docker container events -> CRI container events (GetContainerEvents), as cri-dockerd
 * would map them: `create` is CREATED, `start` STARTED, `die` STOPPED, `destroy` DELETED.
 * Sandboxes (pause containers) have events too, under the sandbox's id, as containerd sends
 * them for its sandboxes.
 */

import {
  type ContainerEventResponse,
  ContainerEventType,
  type ContainerStatus,
  PodSandboxState,
  type PodSandboxStatus,
} from '@tkube/api/cri';
import type { EngineEvent, EngineEventAction } from '../docker/engine.js';
import { isSandbox, SANDBOX_ID_LABEL, sandboxMetadataOf } from '../labels.js';

const EVENT_TYPES: Record<EngineEventAction, ContainerEventType> = {
  create: ContainerEventType.CONTAINER_CREATED_EVENT,
  start: ContainerEventType.CONTAINER_STARTED_EVENT,
  die: ContainerEventType.CONTAINER_STOPPED_EVENT,
  destroy: ContainerEventType.CONTAINER_DELETED_EVENT,
};

export function criEventTypeOf(action: EngineEventAction): ContainerEventType {
  return EVENT_TYPES[action];
}

/** The sandbox an event's container belongs to: itself for a pause container, '' if unknown. */
export function sandboxIdOf(event: EngineEvent): string {
  return isSandbox(event.attributes) ? event.id : (event.attributes[SANDBOX_ID_LABEL] ?? '');
}

/**
 * What is known of the sandbox from the event alone, for when it can no longer be inspected
 * (removed): its id and the pod's identity, which the labels of all its containers carry.
 */
export function sandboxStatusFromLabels(event: EngineEvent): PodSandboxStatus {
  const metadata = sandboxMetadataOf(event.attributes);
  return {
    id: sandboxIdOf(event),
    // A container's attempt label is its own, not its sandbox's.
    metadata: isSandbox(event.attributes) ? metadata : { ...metadata, attempt: 0 },
    state: PodSandboxState.SANDBOX_NOTREADY,
    createdAt: 0n,
    labels: {},
    annotations: {},
    runtimeHandler: '',
  };
}

export function containerEventOf(
  event: EngineEvent,
  sandboxStatus: PodSandboxStatus | undefined,
  containersStatuses: ContainerStatus[],
): ContainerEventResponse {
  return {
    containerId: event.id,
    containerEventType: criEventTypeOf(event.action),
    createdAt: event.timeNanos,
    podSandboxStatus: sandboxStatus ?? sandboxStatusFromLabels(event),
    containersStatuses,
  };
}
