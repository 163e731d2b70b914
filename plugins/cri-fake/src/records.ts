/**
 * What the fake runtime keeps per sandbox and per container, and how each record reads as
 * CRI messages. Label and annotation maps are never changed after creation, so messages
 * share them with the records instead of copying on every list.
 */

import {
  type Container,
  type ContainerMetadata,
  ContainerState,
  type ContainerStats,
  type ContainerStatus,
  type DNSConfig,
  type ImageSpec,
  type LinuxContainerResources,
  type Mount,
  type NamespaceOption,
  type PodSandbox,
  type PodSandboxMetadata,
  PodSandboxState,
  type PodSandboxStatus,
} from '@tkube/api/cri';
import type { ContainerBehaviour } from './behaviour.js';

export interface SandboxRecord {
  id: string;
  /** `name_namespace_uid_attempt`: a runtime holds one sandbox per name. */
  reservedName: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: bigint;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runtimeHandler: string;
  logDirectory: string;
  namespaceOptions: NamespaceOption | undefined;
  /** The DNS config the kubelet asked for; kept (no resolv.conf is written) so tests can read it. */
  dnsConfig: DNSConfig | undefined;
  /** The fake pod IP; '' once the sandbox stopped and gave it back. */
  ip: string;
  /** The pool (by CIDR) `ip` came from, to give it back there after the pod CIDR changed. */
  ipCidr: string;
  containerIds: Set<string>;
}

export interface ContainerRecord {
  id: string;
  /** `sandboxId/name/attempt`: a runtime holds one container per name in a sandbox. */
  reservedName: string;
  sandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The image's id, what the kubelet reports as the container's imageID. */
  imageRef: string;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  reason: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  mounts: Mount[];
  logPath: string;
  resources: LinuxContainerResources | undefined;
  behaviour: ContainerBehaviour;
  /** Cancels the pending scripted exit, while there is one. */
  cancelExit: (() => void) | undefined;
}

export function podSandboxOf(sandbox: SandboxRecord): PodSandbox {
  return {
    id: sandbox.id,
    metadata: sandbox.metadata,
    state: sandbox.state,
    createdAt: sandbox.createdAt,
    labels: sandbox.labels,
    annotations: sandbox.annotations,
    runtimeHandler: sandbox.runtimeHandler,
  };
}

export function podSandboxStatusOf(sandbox: SandboxRecord): PodSandboxStatus {
  return {
    id: sandbox.id,
    metadata: sandbox.metadata,
    state: sandbox.state,
    createdAt: sandbox.createdAt,
    network: { ip: sandbox.ip, additionalIps: [] },
    linux: { namespaces: { options: sandbox.namespaceOptions } },
    labels: sandbox.labels,
    annotations: sandbox.annotations,
    runtimeHandler: sandbox.runtimeHandler,
  };
}

export function containerOf(container: ContainerRecord): Container {
  return {
    id: container.id,
    podSandboxId: container.sandboxId,
    metadata: container.metadata,
    image: container.image,
    imageRef: container.imageRef,
    imageId: container.imageRef,
    state: container.state,
    createdAt: container.createdAt,
    labels: container.labels,
    annotations: container.annotations,
  };
}

export function containerStatusOf(container: ContainerRecord): ContainerStatus {
  return {
    id: container.id,
    metadata: container.metadata,
    state: container.state,
    createdAt: container.createdAt,
    startedAt: container.startedAt,
    finishedAt: container.finishedAt,
    exitCode: container.exitCode,
    image: container.image,
    imageRef: container.imageRef,
    imageId: container.imageRef,
    reason: container.reason,
    message: '',
    labels: container.labels,
    annotations: container.annotations,
    mounts: container.mounts,
    logPath: container.logPath,
    resources: container.resources ? { linux: container.resources } : undefined,
  };
}

/** A running fake process uses a steady 1 millicore and 4 MiB; a stopped one nothing. */
const CPU_NANO_CORES = 1_000_000n;
const WORKING_SET_BYTES = 4n * 1024n * 1024n;
const RSS_BYTES = 2n * 1024n * 1024n;
const WRITABLE_LAYER_BYTES = 4096n;
export const CONTAINER_FS_MOUNTPOINT = '/var/lib/tkube/cri-fake/containers';

export function containerStatsOf(container: ContainerRecord, now: bigint): ContainerStats {
  const running = container.state === ContainerState.CONTAINER_RUNNING;
  const end = running ? now : container.finishedAt;
  const ranNanos = container.startedAt > 0n && end > container.startedAt ? end - container.startedAt : 0n;
  const limit = container.resources?.memoryLimitInBytes ?? 0n;
  const workingSet = running ? WORKING_SET_BYTES : 0n;
  return {
    attributes: {
      id: container.id,
      metadata: container.metadata,
      labels: container.labels,
      annotations: container.annotations,
    },
    cpu: {
      timestamp: now,
      // Cumulative usage consistent with the steady rate, so rates computed from two samples agree.
      usageCoreNanoSeconds: { value: (ranNanos * CPU_NANO_CORES) / 1_000_000_000n },
      usageNanoCores: { value: running ? CPU_NANO_CORES : 0n },
    },
    memory: {
      timestamp: now,
      workingSetBytes: { value: workingSet },
      availableBytes: { value: limit > workingSet ? limit - workingSet : 0n },
      usageBytes: { value: workingSet },
      rssBytes: { value: running ? RSS_BYTES : 0n },
      pageFaults: { value: 0n },
      majorPageFaults: { value: 0n },
    },
    writableLayer: {
      timestamp: now,
      fsId: { mountpoint: CONTAINER_FS_MOUNTPOINT },
      usedBytes: { value: WRITABLE_LAYER_BYTES },
      inodesUsed: { value: 1n },
    },
  };
}

export function isRunning(container: ContainerRecord): boolean {
  return container.state === ContainerState.CONTAINER_RUNNING;
}

export function isReady(sandbox: SandboxRecord): boolean {
  return sandbox.state === PodSandboxState.SANDBOX_READY;
}
