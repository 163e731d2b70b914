/**
 * The fake runtime's state machine: sandboxes and containers in maps, no processes.
 *
 *   sandbox:   RunPodSandbox -> READY -> StopPodSandbox -> NOTREADY -> RemovePodSandbox -> gone
 *   container: CreateContainer -> CREATED -> StartContainer -> RUNNING -> EXITED -> RemoveContainer -> gone
 *
 * A running container exits when stopped, when its sandbox stops, when it is removed, at its
 * scripted time (FAKE_EXIT_AFTER_MS, one timer) or when a test calls `exitContainer`.
 * Every change is also a CRI container event (GetContainerEvents), sandboxes' included as
 * containerd sends them: created, started, stopped (exited), deleted.
 * Every call is synchronous and touches only the objects it names (one map read per id), so
 * one process can back many simulated nodes. Failures throw StatusErrors.
 */

import { posix } from 'node:path';
import {
  type Container,
  type ContainerConfig,
  type ContainerEventResponse,
  ContainerEventType,
  type ContainerFilter,
  ContainerState,
  type ContainerStats,
  type ContainerStatsFilter,
  type ContainerStatusResponse,
  type DNSConfig,
  type ExecSyncResponse,
  KUBERNETES_CONTAINER_LABELS,
  KUBERNETES_POD_LABELS,
  type LinuxContainerResources,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  PodSandboxState,
  type PodSandboxStatusResponse,
} from '@tkube/api/cri';
import { behaviourOf } from './behaviour.js';
import { type Clock, systemClock } from './clock.js';
import { invalidArgument, notFound } from './errors.js';
import { matchesSelector, selectById } from './filters.js';
import { newId } from './ids.js';
import type { ImageStore } from './image-store.js';
import { IpPool } from './ip-pool.js';
import {
  type ContainerRecord,
  containerOf,
  containerStatsOf,
  containerStatusOf,
  isReady,
  isRunning,
  podSandboxOf,
  podSandboxStatusOf,
  type SandboxRecord,
} from './records.js';

/** The exit code of a process killed by SIGKILL (128 + 9), as Docker and containerd report it. */
export const KILLED_EXIT_CODE = 137;

export type ContainerEventListener = (event: ContainerEventResponse) => void;

export interface FakeRuntimeOptions {
  images: ImageStore;
  ipPool?: IpPool;
  clock?: Clock;
}

function reasonOf(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}

const EMPTY_OUTPUT = Buffer.alloc(0);

export class FakeRuntime {
  readonly images: ImageStore;
  /** Where new sandboxes' IPs come from; UpdateRuntimeConfig swaps it for the node's pod CIDR. */
  private ipPool: IpPool;
  /** Every pool a sandbox may still hold an IP of, by CIDR, so each IP goes back where it came from. */
  private readonly ipPools = new Map<string, IpPool>();
  private readonly clock: Clock;
  private readonly sandboxes = new Map<string, SandboxRecord>();
  private readonly sandboxByName = new Map<string, SandboxRecord>();
  private readonly containers = new Map<string, ContainerRecord>();
  private readonly containerByName = new Map<string, ContainerRecord>();
  private lastStamp = 0n;
  private readonly eventListeners = new Set<ContainerEventListener>();

  constructor(options: FakeRuntimeOptions) {
    this.images = options.images;
    this.ipPool = options.ipPool ?? new IpPool();
    this.ipPools.set(this.ipPool.cidr, this.ipPool);
    this.clock = options.clock ?? systemClock;
  }

  get sandboxCount(): number {
    return this.sandboxes.size;
  }

  get containerCount(): number {
    return this.containers.size;
  }

  /** The CIDR new sandboxes get their IP from. */
  get podCidr(): string {
    return this.ipPool.cidr;
  }

  /**
   * UpdateRuntimeConfig's pod CIDR: sandboxes created from now on get their IP from `cidr`;
   * running ones keep theirs. An empty CIDR changes nothing (as containerd treats it); one
   * that is not an IPv4 a.b.c.d/n is a BadRequest. Going back to an earlier CIDR reuses its
   * pool, so an IP still held by an older sandbox is not handed out twice. Answers whether
   * the CIDR changed.
   */
  updatePodCidr(cidr: string): boolean {
    if (!cidr.trim()) return false;
    const candidate = new IpPool(cidr);
    if (candidate.cidr === this.ipPool.cidr) return false;
    const pool = this.ipPools.get(candidate.cidr) ?? candidate;
    this.ipPools.set(pool.cidr, pool);
    this.ipPool = pool;
    return true;
  }

  /** Calls `listener` with every container event from now on; answers its removal. */
  onContainerEvent(listener: ContainerEventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  // --- sandboxes ---

  /** A READY sandbox with a fake IP. Asking again for a READY sandbox's name answers its id. */
  runPodSandbox(config: PodSandboxConfig | undefined, runtimeHandler = ''): string {
    const metadata = config?.metadata;
    if (!config || !metadata?.name) throw invalidArgument('RunPodSandbox needs a config with metadata.name');
    const reservedName = `${metadata.name}_${metadata.namespace}_${metadata.uid}_${metadata.attempt}`;
    const existing = this.sandboxByName.get(reservedName);
    if (existing && isReady(existing)) return existing.id;
    if (existing) this.removePodSandbox(existing.id);

    const ipPool = this.ipPool;
    const ip = ipPool.allocate();
    const sandbox: SandboxRecord = {
      id: newId(),
      reservedName,
      metadata,
      state: PodSandboxState.SANDBOX_READY,
      createdAt: this.stamp(),
      // The pod's identity as labels too, as plugins/cri-docker does, so a kubelet that
      // restarts maps sandboxes back to pods from ListPodSandbox alone.
      labels: {
        ...config.labels,
        [KUBERNETES_POD_LABELS.name]: metadata.name,
        [KUBERNETES_POD_LABELS.namespace]: metadata.namespace,
        [KUBERNETES_POD_LABELS.uid]: metadata.uid,
      },
      annotations: config.annotations,
      runtimeHandler,
      logDirectory: config.logDirectory,
      namespaceOptions: config.linux?.securityContext?.namespaceOptions,
      dnsConfig: config.dnsConfig,
      ip,
      ipCidr: ipPool.cidr,
      containerIds: new Set(),
    };
    this.sandboxes.set(sandbox.id, sandbox);
    this.sandboxByName.set(reservedName, sandbox);
    this.emit(ContainerEventType.CONTAINER_CREATED_EVENT, sandbox.id, sandbox);
    this.emit(ContainerEventType.CONTAINER_STARTED_EVENT, sandbox.id, sandbox);
    return sandbox.id;
  }

  /** Kills the sandbox's running containers and gives its IP back. A missing sandbox is success. */
  stopPodSandbox(id: string): void {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return;
    for (const containerId of sandbox.containerIds) {
      const container = this.containers.get(containerId);
      if (container && isRunning(container)) this.finish(container, KILLED_EXIT_CODE);
    }
    const wasReady = isReady(sandbox);
    sandbox.state = PodSandboxState.SANDBOX_NOTREADY;
    this.releaseIp(sandbox);
    if (wasReady) this.emit(ContainerEventType.CONTAINER_STOPPED_EVENT, sandbox.id, sandbox);
  }

  /** Removes the sandbox and its containers, forcibly. A missing sandbox is success. */
  removePodSandbox(id: string): void {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox) return;
    for (const containerId of [...sandbox.containerIds]) this.removeContainer(containerId);
    this.releaseIp(sandbox);
    if (isReady(sandbox)) {
      sandbox.state = PodSandboxState.SANDBOX_NOTREADY;
      this.emit(ContainerEventType.CONTAINER_STOPPED_EVENT, sandbox.id, sandbox);
    }
    this.sandboxes.delete(sandbox.id);
    if (this.sandboxByName.get(sandbox.reservedName) === sandbox) this.sandboxByName.delete(sandbox.reservedName);
    this.emit(ContainerEventType.CONTAINER_DELETED_EVENT, sandbox.id, sandbox);
  }

  podSandboxStatus(id: string, verbose = false): PodSandboxStatusResponse {
    const sandbox = this.sandboxOrThrow(id);
    const info: Record<string, string> = {};
    if (verbose) {
      info.info = JSON.stringify({
        runtime: 'fake',
        ip: sandbox.ip,
        containers: sandbox.containerIds.size,
        ...(sandbox.dnsConfig ? { dnsConfig: sandbox.dnsConfig } : {}),
      });
    }
    return { status: podSandboxStatusOf(sandbox), info, containersStatuses: [], timestamp: this.nowNanos() };
  }

  /** The DNS config the sandbox was made with (also in the verbose status' info), for tests. */
  sandboxDnsConfig(id: string): DNSConfig | undefined {
    return this.sandboxOrThrow(id).dnsConfig;
  }

  listPodSandbox(filter?: PodSandboxFilter): PodSandbox[] {
    const candidates = filter?.id ? selectById(this.sandboxes, filter.id) : this.sandboxes.values();
    const wantedState = filter?.state?.state;
    const items: PodSandbox[] = [];
    for (const sandbox of candidates) {
      if (wantedState !== undefined && sandbox.state !== wantedState) continue;
      if (!matchesSelector(sandbox.labels, filter?.labelSelector)) continue;
      items.push(podSandboxOf(sandbox));
    }
    return items;
  }

  // --- containers ---

  /**
   * A CREATED container in a READY sandbox. Its image must be present (NotFound otherwise:
   * the kubelet pulls first). Asking again for a running container's name answers its id.
   */
  createContainer(sandboxId: string, config: ContainerConfig | undefined, sandboxConfig?: PodSandboxConfig): string {
    const sandbox = this.sandboxOrThrow(sandboxId);
    if (!isReady(sandbox))
      throw invalidArgument(`sandbox ${sandbox.id} is not ready: no container can be created in it`);
    const metadata = config?.metadata;
    if (!config || !metadata?.name) throw invalidArgument('CreateContainer needs a config with metadata.name');
    const reference = config.image?.image?.trim();
    if (!reference) throw invalidArgument(`container "${metadata.name}" needs an image`);
    const image = this.images.find(reference);
    if (!image) throw notFound('image', reference);
    const behaviour = behaviourOf(config.envs);

    const reservedName = `${sandbox.id}/${metadata.name}/${metadata.attempt}`;
    const existing = this.containerByName.get(reservedName);
    if (existing && isRunning(existing)) return existing.id;
    if (existing) this.removeContainer(existing.id);

    const logDirectory = sandboxConfig?.logDirectory || sandbox.logDirectory;
    const container: ContainerRecord = {
      id: newId(),
      reservedName,
      sandboxId: sandbox.id,
      metadata,
      image: config.image ?? { image: reference, annotations: {}, userSpecifiedImage: '' },
      imageRef: image.id,
      state: ContainerState.CONTAINER_CREATED,
      createdAt: this.stamp(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: '',
      labels: {
        ...config.labels,
        [KUBERNETES_POD_LABELS.name]: sandbox.metadata.name,
        [KUBERNETES_POD_LABELS.namespace]: sandbox.metadata.namespace,
        [KUBERNETES_POD_LABELS.uid]: sandbox.metadata.uid,
        [KUBERNETES_CONTAINER_LABELS.name]: metadata.name,
      },
      annotations: config.annotations,
      mounts: config.mounts,
      logPath: logDirectory && config.logPath ? posix.join(logDirectory, config.logPath) : '',
      resources: config.linux?.resources,
      behaviour,
      cancelExit: undefined,
    };
    this.containers.set(container.id, container);
    this.containerByName.set(reservedName, container);
    sandbox.containerIds.add(container.id);
    this.emit(ContainerEventType.CONTAINER_CREATED_EVENT, container.id, sandbox);
    return container.id;
  }

  /** CREATED -> RUNNING, arming the scripted exit if the container has one. */
  startContainer(id: string): void {
    const container = this.containerOrThrow(id);
    if (container.state !== ContainerState.CONTAINER_CREATED) {
      throw invalidArgument(`container ${container.id} is ${ContainerState[container.state]}, not CONTAINER_CREATED`);
    }
    const sandbox = this.sandboxes.get(container.sandboxId);
    if (!sandbox || !isReady(sandbox))
      throw invalidArgument(`sandbox ${container.sandboxId} of container ${container.id} is not ready`);
    container.state = ContainerState.CONTAINER_RUNNING;
    container.startedAt = this.stamp();
    this.emit(ContainerEventType.CONTAINER_STARTED_EVENT, container.id, sandbox);
    const { exitAfterMs, exitCode } = container.behaviour;
    if (exitAfterMs !== undefined) {
      container.cancelExit = this.clock.after(exitAfterMs, () => {
        container.cancelExit = undefined;
        if (isRunning(container)) this.finish(container, exitCode);
      });
    }
  }

  /**
   * Stops a running container. A fake process honours SIGTERM at once, like a server that
   * traps it and shuts down cleanly, so a graceful stop (timeout > 0) ends with exit code 0
   * and the grace period never expires; timeout 0 is the kubelet asking for SIGKILL, 137.
   * A created, exited or missing container is left as it is (idempotent).
   */
  stopContainer(id: string, timeoutSeconds: number): void {
    const container = this.containers.get(id);
    if (!container || !isRunning(container)) return;
    this.finish(container, timeoutSeconds > 0 ? 0 : KILLED_EXIT_CODE);
  }

  /** Removes the container, killing it if it runs. A missing container is success. */
  removeContainer(id: string): void {
    const container = this.containers.get(id);
    if (!container) return;
    if (isRunning(container)) this.finish(container, KILLED_EXIT_CODE);
    container.cancelExit?.();
    this.containers.delete(container.id);
    if (this.containerByName.get(container.reservedName) === container)
      this.containerByName.delete(container.reservedName);
    const sandbox = this.sandboxes.get(container.sandboxId);
    sandbox?.containerIds.delete(container.id);
    this.emit(ContainerEventType.CONTAINER_DELETED_EVENT, container.id, sandbox);
  }

  listContainers(filter?: ContainerFilter): Container[] {
    const items: Container[] = [];
    for (const container of this.candidates(filter?.id, filter?.podSandboxId)) {
      if (filter?.state && container.state !== filter.state.state) continue;
      if (!matchesSelector(container.labels, filter?.labelSelector)) continue;
      items.push(containerOf(container));
    }
    return items;
  }

  containerStatus(id: string, verbose = false): ContainerStatusResponse {
    const container = this.containerOrThrow(id);
    const info: Record<string, string> = {};
    if (verbose) info.info = JSON.stringify({ runtime: 'fake', sandboxID: container.sandboxId, pid: 0 });
    return { status: containerStatusOf(container), info };
  }

  updateContainerResources(id: string, resources: LinuxContainerResources | undefined): void {
    const container = this.containerOrThrow(id);
    if (resources) container.resources = resources;
  }

  /** There is no log file to reopen; the call only checks what a real runtime would. */
  reopenContainerLog(id: string): void {
    this.runningOrThrow(id);
  }

  /** Runs nothing: answers the container's FAKE_EXEC_EXIT_CODE (0 by default) and no output. */
  execSync(id: string, cmd: readonly string[]): ExecSyncResponse {
    if (!cmd.length) throw invalidArgument('ExecSync needs a command');
    const container = this.runningOrThrow(id);
    return { stdout: EMPTY_OUTPUT, stderr: EMPTY_OUTPUT, exitCode: container.behaviour.execExitCode };
  }

  containerStats(id: string): ContainerStats {
    return containerStatsOf(this.containerOrThrow(id), this.nowNanos());
  }

  /** Stats of the running containers the filter selects. */
  listContainerStats(filter?: ContainerStatsFilter): ContainerStats[] {
    const now = this.nowNanos();
    const stats: ContainerStats[] = [];
    for (const container of this.candidates(filter?.id, filter?.podSandboxId)) {
      if (!isRunning(container) || !matchesSelector(container.labels, filter?.labelSelector)) continue;
      stats.push(containerStatsOf(container, now));
    }
    return stats;
  }

  /** For in-process tests: the container's main process exits now, as if it crashed or was killed. */
  exitContainer(id: string, exitCode: number): void {
    this.finish(this.runningOrThrow(id), exitCode);
  }

  /** Cancels every pending scripted exit (the state stays readable). */
  close(): void {
    for (const container of this.containers.values()) {
      container.cancelExit?.();
      container.cancelExit = undefined;
    }
  }

  // --- internals ---

  private finish(container: ContainerRecord, exitCode: number): void {
    container.cancelExit?.();
    container.cancelExit = undefined;
    container.state = ContainerState.CONTAINER_EXITED;
    container.finishedAt = this.stamp();
    container.exitCode = exitCode;
    container.reason = reasonOf(exitCode);
    this.emit(ContainerEventType.CONTAINER_STOPPED_EVENT, container.id, this.sandboxes.get(container.sandboxId));
  }

  /** Tells the listeners, with the sandbox's status and its containers' as they are now. */
  private emit(type: ContainerEventType, containerId: string, sandbox: SandboxRecord | undefined): void {
    if (this.eventListeners.size === 0) return;
    const containersStatuses = [];
    for (const memberId of sandbox?.containerIds ?? []) {
      const member = this.containers.get(memberId);
      if (member) containersStatuses.push(containerStatusOf(member));
    }
    const event: ContainerEventResponse = {
      containerId,
      containerEventType: type,
      createdAt: this.nowNanos(),
      ...(sandbox ? { podSandboxStatus: podSandboxStatusOf(sandbox) } : {}),
      containersStatuses,
    };
    for (const listener of this.eventListeners) {
      try {
        listener(event);
      } catch {
        // A subscriber that went wrong must not fail the runtime call that made the event.
      }
    }
  }

  /** Containers an id and a sandbox filter narrow to, read from the smallest index. */
  private candidates(id: string | undefined, sandboxId: string | undefined): Iterable<ContainerRecord> {
    if (id) {
      const selected = selectById(this.containers, id);
      return sandboxId ? selected.filter((container) => container.sandboxId === sandboxId) : selected;
    }
    if (sandboxId) {
      const sandbox = this.sandboxes.get(sandboxId);
      if (!sandbox) return [];
      const members: ContainerRecord[] = [];
      for (const containerId of sandbox.containerIds) {
        const container = this.containers.get(containerId);
        if (container) members.push(container);
      }
      return members;
    }
    return this.containers.values();
  }

  private releaseIp(sandbox: SandboxRecord): void {
    if (!sandbox.ip) return;
    this.ipPools.get(sandbox.ipCidr)?.release(sandbox.ip);
    sandbox.ip = '';
  }

  private sandboxOrThrow(id: string): SandboxRecord {
    const sandbox = id ? this.sandboxes.get(id) : undefined;
    if (!sandbox) throw notFound('sandbox', id);
    return sandbox;
  }

  private containerOrThrow(id: string): ContainerRecord {
    const container = id ? this.containers.get(id) : undefined;
    if (!container) throw notFound('container', id);
    return container;
  }

  private runningOrThrow(id: string): ContainerRecord {
    const container = this.containerOrThrow(id);
    if (!isRunning(container)) throw invalidArgument(`container ${container.id} is not running`);
    return container;
  }

  private nowNanos(): bigint {
    return BigInt(this.clock.now()) * 1_000_000n;
  }

  /**
   * Creation, start and finish times, strictly increasing even within one millisecond, so
   * "the newest attempt" sorted by created_at is never a tie.
   */
  private stamp(): bigint {
    const now = this.nowNanos();
    this.lastStamp = now > this.lastStamp ? now : this.lastStamp + 1n;
    return this.lastStamp;
  }
}
