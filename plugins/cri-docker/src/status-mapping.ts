/**
 * Docker state -> CRI state, as cri-dockerd reads it.
 */

import { type Container, ContainerState, type ContainerStatus, type PodSandbox, PodSandboxState } from '@tkube/api/cri';
import type { ContainerDetails, ContainerSummary, EngineStatus } from './docker/engine.js';
import {
  annotationsOf,
  containerMetadataOf,
  criLabelsOf,
  LOG_PATH_LABEL,
  SANDBOX_ID_LABEL,
  sandboxMetadataOf,
} from './labels.js';
import { rfc3339ToNanos, secondsToNanos } from './timestamps.js';

export function containerStateOf(status: EngineStatus): ContainerState {
  switch (status) {
    case 'running':
    case 'paused':
    case 'restarting':
      return ContainerState.CONTAINER_RUNNING;
    case 'exited':
    case 'dead':
      return ContainerState.CONTAINER_EXITED;
    case 'created':
      return ContainerState.CONTAINER_CREATED;
    default:
      return ContainerState.CONTAINER_UNKNOWN;
  }
}

export function sandboxStateOf(status: EngineStatus): PodSandboxState {
  return status === 'running' ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
}

interface StateVerdict {
  state: ContainerState;
  reason: string;
}

/** State and reason from inspect: finished -> OOMKilled/Completed/Error; failed start -> ContainerCannotRun. */
export function verdictOf(details: ContainerDetails): StateVerdict {
  if (details.status === 'running' || details.status === 'paused' || details.status === 'restarting') {
    return { state: ContainerState.CONTAINER_RUNNING, reason: '' };
  }
  if (rfc3339ToNanos(details.finishedAt) > 0n) {
    if (details.oomKilled) return { state: ContainerState.CONTAINER_EXITED, reason: 'OOMKilled' };
    return { state: ContainerState.CONTAINER_EXITED, reason: details.exitCode === 0 ? 'Completed' : 'Error' };
  }
  if (details.exitCode !== 0) return { state: ContainerState.CONTAINER_EXITED, reason: 'ContainerCannotRun' };
  if (details.status === 'created') return { state: ContainerState.CONTAINER_CREATED, reason: '' };
  return { state: ContainerState.CONTAINER_UNKNOWN, reason: '' };
}

export function containerStatusOf(details: ContainerDetails): ContainerStatus {
  const verdict = verdictOf(details);
  const startedAt = rfc3339ToNanos(details.startedAt);
  const finishedAt = rfc3339ToNanos(details.finishedAt);
  return {
    id: details.id,
    metadata: containerMetadataOf(details.labels),
    state: verdict.state,
    createdAt: rfc3339ToNanos(details.created),
    startedAt,
    // Docker stamps a process that exits at once as finished a moment before it started.
    finishedAt: finishedAt > 0n && finishedAt < startedAt ? startedAt : finishedAt,
    exitCode: details.exitCode,
    image: { image: details.image, annotations: {}, userSpecifiedImage: '' },
    imageRef: details.imageId,
    imageId: details.imageId,
    reason: verdict.reason,
    message: details.error,
    labels: criLabelsOf(details.labels),
    annotations: annotationsOf(details.labels),
    mounts: details.mounts.map((mount) => ({
      containerPath: mount.destination,
      hostPath: mount.source,
      readonly: !mount.readWrite,
      selinuxRelabel: false,
      propagation: 0,
    })),
    logPath: details.labels[LOG_PATH_LABEL] ?? '',
    resources: {
      linux: {
        cpuPeriod: BigInt(details.resources.cpuPeriod ?? 0),
        cpuQuota: BigInt(details.resources.cpuQuota ?? 0),
        cpuShares: BigInt(details.resources.cpuShares ?? 0),
        memoryLimitInBytes: BigInt(details.resources.memory ?? 0),
        oomScoreAdj: 0n,
        cpusetCpus: details.resources.cpusetCpus ?? '',
        cpusetMems: details.resources.cpusetMems ?? '',
        unified: {},
        memorySwapLimitInBytes: BigInt(details.resources.memorySwap ?? 0),
      },
    },
  };
}

export function containerOf(summary: ContainerSummary): Container {
  return {
    id: summary.id,
    podSandboxId: summary.labels[SANDBOX_ID_LABEL] ?? '',
    metadata: containerMetadataOf(summary.labels),
    image: { image: summary.image, annotations: {}, userSpecifiedImage: '' },
    imageRef: summary.imageId,
    imageId: summary.imageId,
    state: containerStateOf(summary.status),
    createdAt: secondsToNanos(summary.created),
    labels: criLabelsOf(summary.labels),
    annotations: annotationsOf(summary.labels),
  };
}

export function sandboxOf(summary: ContainerSummary): PodSandbox {
  return {
    id: summary.id,
    metadata: sandboxMetadataOf(summary.labels),
    state: sandboxStateOf(summary.status),
    createdAt: secondsToNanos(summary.created),
    labels: criLabelsOf(summary.labels),
    annotations: annotationsOf(summary.labels),
    runtimeHandler: '',
  };
}
