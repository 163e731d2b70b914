/**
 * What the CRI server needs of a container engine, in the engine's own terms (Docker's):
 * one implementation talks to dockerd through dockerode, a fake serves the unit tests.
 * Types are narrow on purpose: only the fields the CRI mapping reads.
 */

import type { Duplex, Readable } from 'node:stream';

/** Cgroup limits as Docker's HostConfig spells them; absent means "leave as is". */
export interface ResourceLimits {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memory?: number;
  memorySwap?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
}

export interface DeviceMapping {
  hostPath: string;
  containerPath: string;
  permissions: string;
}

/** Everything `docker create` is told. */
export interface ContainerSpec {
  name: string;
  image: string;
  labels: Record<string, string>;
  /** Replaces the image's ENTRYPOINT when set (CRI `command`). */
  entrypoint?: string[];
  /** Replaces the image's CMD when set (CRI `args`). */
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  user?: string;
  hostname?: string;
  tty?: boolean;
  openStdin?: boolean;
  stdinOnce?: boolean;
  /** `none`, `host` or `container:<id>`. */
  networkMode: string;
  /** `shareable`, `host` or `container:<id>`. */
  ipcMode?: string;
  /** `host`, `container:<id>` or unset (private). */
  pidMode?: string;
  /** `host:container[:ro]`. */
  binds?: string[];
  devices?: DeviceMapping[];
  cgroupParent?: string;
  resources?: ResourceLimits;
  oomScoreAdj?: number;
  privileged?: boolean;
  readonlyRootfs?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  securityOpt?: string[];
  groupAdd?: string[];
  sysctls?: Record<string, string>;
}

export type EngineStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

/** A row of `docker ps -a`. */
export interface ContainerSummary {
  id: string;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  status: EngineStatus;
  /** Unix seconds. */
  created: number;
}

export interface MountInfo {
  source: string;
  destination: string;
  readWrite: boolean;
}

/** `docker inspect` of a container. Times are RFC 3339 with nanoseconds, zero time when unset. */
export interface ContainerDetails {
  id: string;
  name: string;
  /** The image as the container was created with (the reference). */
  image: string;
  imageId: string;
  labels: Record<string, string>;
  created: string;
  status: EngineStatus;
  pid: number;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt: string;
  finishedAt: string;
  tty: boolean;
  mounts: MountInfo[];
  resolvConfPath: string;
  resources: ResourceLimits;
  networkMode: string;
  ipcMode: string;
  pidMode: string;
}

/** One `docker stats --no-stream` sample. */
export interface UsageSample {
  /** Cumulative CPU time, nanoseconds. */
  cpuTotalNanos: number;
  /** Memory usage minus inactive file pages: the kubelet's working set. */
  memoryWorkingSetBytes: number;
  memoryUsageBytes: number;
  memoryLimitBytes: number;
  rssBytes: number;
  pageFaults: number;
  majorPageFaults: number;
}

export interface ImageDetails {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  /** The image's USER, '' for root by default. */
  user: string;
}

export interface ExecOptions {
  cmd: string[];
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

/** A started exec: its byte stream (multiplexed unless tty) and its control. */
export interface ExecHandle {
  stream: Duplex;
  resize(width: number, height: number): Promise<void>;
  /** Undefined while the process runs. */
  exitCode(): Promise<number | undefined>;
}

export interface AttachOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
}

export interface LogOptions {
  follow: boolean;
  /** Unix seconds with a fraction (Docker's `since`), inclusive. */
  since?: string;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

/** The container lifecycle events the CRI turns into its own (Docker's event actions). */
export const ENGINE_EVENT_ACTIONS = ['create', 'start', 'die', 'destroy'] as const;
export type EngineEventAction = (typeof ENGINE_EVENT_ACTIONS)[number];

/** One container event of Docker's event stream. */
export interface EngineEvent {
  action: EngineEventAction;
  /** The container's id. */
  id: string;
  /** The event's attributes: the container's labels, plus Docker's `name`, `image`, `exitCode`. */
  attributes: Record<string, string>;
  /** When Docker saw it, nanoseconds since the epoch. */
  timeNanos: bigint;
}

export interface EventOptions {
  /** Only containers carrying every one of these labels. */
  labels: Record<string, string>;
  /** Replays the events from this time (nanoseconds since the epoch) before following; absent: from now. */
  sinceNanos?: bigint;
  /** Ends the stream. */
  signal: AbortSignal;
}

export interface DockerEngine {
  version(): Promise<EngineVersion>;
  /** Docker's data root (`docker info`). */
  dataRoot(): Promise<string>;
  /** Bytes used by image layers (`docker system df`). */
  layersSize(): Promise<number>;

  createContainer(spec: ContainerSpec): Promise<string>;
  startContainer(id: string): Promise<void>;
  /** SIGTERM (or the image's stop signal), `timeoutSeconds`, then SIGKILL. A stopped container is fine. */
  stopContainer(id: string, timeoutSeconds: number): Promise<void>;
  /** Forced removal with anonymous volumes. A missing container is fine. */
  removeContainer(id: string): Promise<void>;
  inspectContainer(id: string): Promise<ContainerDetails | undefined>;
  /** All containers (any state) carrying every label in `labels`. */
  listContainers(labels: Record<string, string>): Promise<ContainerSummary[]>;
  updateContainer(id: string, resources: ResourceLimits): Promise<void>;
  containerUsage(id: string): Promise<UsageSample>;
  resizeContainer(id: string, width: number, height: number): Promise<void>;

  exec(id: string, options: ExecOptions): Promise<ExecHandle>;
  attach(id: string, options: AttachOptions): Promise<Duplex>;
  /** The container's output with timestamps, multiplexed unless the container has a tty. */
  logs(id: string, options: LogOptions): Promise<Readable>;

  /**
   * Follows Docker's container events (create, start, die, destroy) until the signal aborts
   * (the iteration then ends) or the connection to Docker fails (the iteration throws).
   */
  events(options: EventOptions): AsyncIterable<EngineEvent>;

  listImages(): Promise<ImageDetails[]>;
  inspectImage(reference: string): Promise<ImageDetails | undefined>;
  pullImage(reference: string, auth?: RegistryAuth): Promise<void>;
  /** A missing image is fine. */
  removeImage(reference: string): Promise<void>;
}

export interface RegistryAuth {
  username?: string;
  password?: string;
  auth?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
}

/** A failure the engine reported, with Docker's HTTP status (404 missing, 409 conflict). */
export class EngineError extends Error {
  override name = 'EngineError';
  constructor(
    message: string,
    readonly statusCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isEngineStatus(err: unknown, statusCode: number): boolean {
  return err instanceof EngineError && err.statusCode === statusCode;
}
