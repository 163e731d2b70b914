/**
 * The containerStatuses and initContainerStatuses of a pod, as kube's
 * convertToAPIContainerStatuses builds them from the runtime: the newest container of a
 * name gives `state`, the one before it `lastState`; a container not created yet waits
 * with ContainerCreating (PodInitializing for app containers behind init containers); a
 * start that failed in the last sync (CrashLoopBackOff, ErrImagePull,
 * CreateContainerConfigError, ...) shows as the waiting reason, the terminated state
 * moving to lastState.
 */
import type { Container, Pod } from '@tkube/api';
import type { ContainerRuntimeStatus, PodRuntimeStatus } from '../runtime/pod-runtime-status.js';

export type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];
type ContainerStateApi = NonNullable<ContainerStatus['state']>;

/** Why a container could not start in the last sync (kube's reasonCache). */
export interface StartFailure {
  reason: string;
  message: string;
}

export interface ProbeView {
  /** Whether the container passes its readiness probe (true when it has none and runs). */
  ready(containerId: string, container: Container): boolean;
  /** Whether the container passed its startup probe (true when it has none and runs). */
  started(containerId: string, container: Container): boolean;
}

export interface ContainerStatusInput {
  pod: Pod;
  runtime: PodRuntimeStatus;
  /** The statuses the API holds now, for restart counts of containers not seen in the runtime. */
  previous: ContainerStatus[];
  failures: ReadonlyMap<string, StartFailure>;
  probes: ProbeView;
  /** "docker" from the runtime's Version: container IDs are "docker://<id>". */
  runtimeName: string;
}

export function containerStatuses(
  input: ContainerStatusInput,
  containers: Container[],
  isInit: boolean,
): ContainerStatus[] {
  const hasInitContainers = !isInit && (input.pod.spec?.initContainers ?? []).length > 0;
  const defaultReason = hasInitContainers ? 'PodInitializing' : 'ContainerCreating';
  const previous = new Map(input.previous.map((s) => [s.name, s]));
  const statuses = new Map<string, ContainerStatus>();

  for (const container of containers) {
    const old = previous.get(container.name);
    let status: ContainerStatus = {
      name: container.name,
      image: container.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: defaultReason } },
    };
    if (old) {
      if (old.state?.terminated) status = { ...old, ready: false, started: false };
      else {
        status.restartCount = old.restartCount;
        if (old.lastState) status.lastState = old.lastState;
      }
    }
    statuses.set(container.name, status);
  }

  const seen = new Map<string, number>();
  const names = new Set(containers.map((c) => c.name));
  for (const runtimeStatus of input.runtime.containers) {
    if (!names.has(runtimeStatus.name)) continue;
    if ((runtimeStatus.type === 'init') !== isInit) continue;
    const count = seen.get(runtimeStatus.name) ?? 0;
    if (count >= 2) continue;
    const container = containers.find((c) => c.name === runtimeStatus.name) as Container;
    if (count === 0) statuses.set(container.name, convert(runtimeStatus, container, input));
    else {
      const current = statuses.get(container.name);
      if (current) current.lastState = stateOf(runtimeStatus, input.runtimeName);
    }
    seen.set(runtimeStatus.name, count + 1);
  }

  for (const container of containers) {
    const failure = input.failures.get(container.name);
    const status = statuses.get(container.name);
    if (!failure || !status || status.state?.running) continue;
    if (status.state?.terminated) status.lastState = status.state;
    status.state = { waiting: { reason: failure.reason, message: failure.message } };
  }

  return containers.map((c) => statuses.get(c.name) as ContainerStatus);
}

function convert(
  runtimeStatus: ContainerRuntimeStatus,
  container: Container,
  input: ContainerStatusInput,
): ContainerStatus {
  const containerID = containerIdOf(input.runtimeName, runtimeStatus.id);
  const running = runtimeStatus.state === 'running';
  const status: ContainerStatus = {
    name: container.name,
    image: container.image ?? runtimeStatus.image,
    imageID: runtimeStatus.imageRef,
    containerID,
    ready: running && input.probes.ready(runtimeStatus.id, container),
    restartCount: runtimeStatus.restartCount,
    started: running && input.probes.started(runtimeStatus.id, container),
    state: stateOf(runtimeStatus, input.runtimeName),
  };
  return status;
}

function stateOf(runtimeStatus: ContainerRuntimeStatus, runtimeName: string): ContainerStateApi {
  switch (runtimeStatus.state) {
    case 'running':
      return { running: { startedAt: rfc3339(runtimeStatus.startedAt) } };
    case 'exited':
    case 'unknown': {
      const exitCode = runtimeStatus.state === 'unknown' ? 137 : runtimeStatus.exitCode;
      const terminated: NonNullable<ContainerStateApi['terminated']> = {
        exitCode,
        reason:
          runtimeStatus.reason ||
          (runtimeStatus.state === 'unknown' ? 'Unknown' : exitCode === 0 ? 'Completed' : 'Error'),
        containerID: containerIdOf(runtimeName, runtimeStatus.id),
      };
      if (runtimeStatus.message) terminated.message = runtimeStatus.message;
      if (runtimeStatus.startedAt) terminated.startedAt = rfc3339(runtimeStatus.startedAt);
      if (runtimeStatus.finishedAt) terminated.finishedAt = rfc3339(runtimeStatus.finishedAt);
      return { terminated };
    }
    default:
      return { waiting: { reason: 'ContainerCreating' } };
  }
}

export function containerIdOf(runtimeName: string, id: string): string {
  return `${runtimeName}://${id}`;
}

/** The id part of "docker://<id>". */
export function runtimeIdOf(containerID: string | undefined): string | undefined {
  if (!containerID) return undefined;
  const at = containerID.indexOf('://');
  return at === -1 ? containerID : containerID.slice(at + 3);
}

/** Kubernetes times are RFC 3339 with whole seconds. */
export function rfc3339(millis: number): string {
  return new Date(millis).toISOString().replace(/\.\d+Z$/, 'Z');
}
