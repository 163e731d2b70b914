/**
 * The DockerEngine over dockerode (Docker's HTTP API on its unix socket).
 */

import { type Duplex, Readable } from 'node:stream';
import Docker from 'dockerode';
import { LineSplitter, parseDockerEvent, sinceSecondsOf } from './docker-events.js';
import {
  type AttachOptions,
  type ContainerDetails,
  type ContainerSpec,
  type ContainerSummary,
  type DockerEngine,
  ENGINE_EVENT_ACTIONS,
  EngineError,
  type EngineEvent,
  type EngineStatus,
  type EngineVersion,
  type EventOptions,
  type ExecHandle,
  type ExecOptions,
  type ImageDetails,
  type LogOptions,
  type RegistryAuth,
  type ResourceLimits,
  type UsageSample,
} from './engine.js';

/** Narrows what dockerode throws: HTTP failures carry `statusCode`, a dead daemon a socket error. */
export function toEngineError(err: unknown, doing: string): EngineError {
  if (err instanceof EngineError) return err;
  const record = (typeof err === 'object' && err !== null ? err : {}) as Record<string, unknown>;
  const message = `${doing}: ${err instanceof Error ? err.message : String(err)}`;
  if (typeof record.statusCode === 'number') return new EngineError(message, record.statusCode, { cause: err });
  // ENOENT/ECONNREFUSED on the socket: the daemon is not there.
  return new EngineError(message, 503, { cause: err });
}

async function attempt<T>(doing: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw toEngineError(err, doing);
  }
}

async function orMissing<T>(doing: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (err) {
    const error = toEngineError(err, doing);
    if (error.statusCode === 404) return undefined;
    throw error;
  }
}

function hostResources(resources: ResourceLimits | undefined): Docker.HostConfig {
  if (!resources) return {};
  const host: Docker.HostConfig = {};
  if (resources.cpuPeriod !== undefined) host.CpuPeriod = resources.cpuPeriod;
  if (resources.cpuQuota !== undefined) host.CpuQuota = resources.cpuQuota;
  if (resources.cpuShares !== undefined) host.CpuShares = resources.cpuShares;
  if (resources.memory !== undefined) host.Memory = resources.memory;
  if (resources.memorySwap !== undefined) host.MemorySwap = resources.memorySwap;
  if (resources.cpusetCpus !== undefined) host.CpusetCpus = resources.cpusetCpus;
  if (resources.cpusetMems !== undefined) host.CpusetMems = resources.cpusetMems;
  return host;
}

function createOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const host: Docker.HostConfig = {
    ...hostResources(spec.resources),
    NetworkMode: spec.networkMode,
    // The kubelet owns restarts; Docker must not restart anything behind its back.
    RestartPolicy: { Name: 'no' },
    LogConfig: { Type: 'json-file', Config: { 'max-size': '50m', 'max-file': '2' } },
  };
  if (spec.ipcMode) host.IpcMode = spec.ipcMode;
  if (spec.pidMode) host.PidMode = spec.pidMode;
  if (spec.binds?.length) host.Binds = spec.binds;
  if (spec.devices?.length) {
    host.Devices = spec.devices.map((device) => ({
      PathOnHost: device.hostPath,
      PathInContainer: device.containerPath,
      CgroupPermissions: device.permissions,
    }));
  }
  if (spec.cgroupParent) host.CgroupParent = spec.cgroupParent;
  if (spec.oomScoreAdj !== undefined) host.OomScoreAdj = spec.oomScoreAdj;
  if (spec.privileged) host.Privileged = true;
  if (spec.readonlyRootfs) host.ReadonlyRootfs = true;
  if (spec.capAdd?.length) host.CapAdd = spec.capAdd;
  if (spec.capDrop?.length) host.CapDrop = spec.capDrop;
  if (spec.securityOpt?.length) host.SecurityOpt = spec.securityOpt;
  if (spec.groupAdd?.length) host.GroupAdd = spec.groupAdd;
  if (spec.sysctls && Object.keys(spec.sysctls).length) host.Sysctls = spec.sysctls;

  const options: Docker.ContainerCreateOptions = {
    name: spec.name,
    Image: spec.image,
    Labels: spec.labels,
    Env: spec.env ?? [],
    Tty: spec.tty ?? false,
    OpenStdin: spec.openStdin ?? false,
    StdinOnce: spec.stdinOnce ?? false,
    AttachStdin: spec.openStdin ?? false,
    HostConfig: host,
  };
  if (spec.entrypoint) options.Entrypoint = spec.entrypoint;
  if (spec.cmd) options.Cmd = spec.cmd;
  if (spec.workingDir) options.WorkingDir = spec.workingDir;
  if (spec.user) options.User = spec.user;
  if (spec.hostname) options.Hostname = spec.hostname;
  return options;
}

function detailsOf(info: Docker.ContainerInspectInfo): ContainerDetails {
  const host = info.HostConfig ?? {};
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config?.Image ?? '',
    imageId: info.Image,
    labels: info.Config?.Labels ?? {},
    created: info.Created,
    status: info.State.Status as EngineStatus,
    pid: info.State.Pid,
    exitCode: info.State.ExitCode,
    oomKilled: info.State.OOMKilled,
    error: info.State.Error ?? '',
    startedAt: info.State.StartedAt,
    finishedAt: info.State.FinishedAt,
    tty: info.Config?.Tty ?? false,
    mounts: (info.Mounts ?? []).map((mount) => ({
      source: mount.Source,
      destination: mount.Destination,
      readWrite: mount.RW,
    })),
    resolvConfPath: info.ResolvConfPath,
    networkMode: host.NetworkMode ?? '',
    ipcMode: host.IpcMode ?? '',
    pidMode: host.PidMode ?? '',
    resources: {
      cpuPeriod: host.CpuPeriod ?? 0,
      cpuQuota: host.CpuQuota ?? 0,
      cpuShares: host.CpuShares ?? 0,
      memory: host.Memory ?? 0,
      memorySwap: host.MemorySwap ?? 0,
      cpusetCpus: host.CpusetCpus ?? '',
      cpusetMems: host.CpusetMems ?? '',
    },
  };
}

function imageOf(info: Docker.ImageInspectInfo | Docker.ImageInfo, user: string): ImageDetails {
  const tags = (info.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>');
  const digests = (info.RepoDigests ?? []).filter((digest) => digest !== '<none>@<none>');
  return { id: info.Id, repoTags: tags, repoDigests: digests, size: info.Size, user };
}

/** Docker's stats JSON, the fields read here (cgroup v1 and v2 names). */
interface StatsJson {
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
}

export function usageOf(stats: StatsJson): UsageSample {
  const memory = stats.memory_stats ?? {};
  const counters = memory.stats ?? {};
  const usage = memory.usage ?? 0;
  const inactiveFile = counters.total_inactive_file ?? counters.inactive_file ?? 0;
  return {
    cpuTotalNanos: stats.cpu_stats?.cpu_usage?.total_usage ?? 0,
    memoryWorkingSetBytes: Math.max(0, usage - inactiveFile),
    memoryUsageBytes: usage,
    memoryLimitBytes: memory.limit ?? 0,
    rssBytes: counters.total_rss ?? counters.rss ?? counters.anon ?? 0,
    pageFaults: counters.total_pgfault ?? counters.pgfault ?? 0,
    majorPageFaults: counters.total_pgmajfault ?? counters.pgmajfault ?? 0,
  };
}

/** The first error of a pull's progress stream (newline-delimited JSON), if any. */
export function pullErrorOf(progress: string): string | undefined {
  for (const line of progress.split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as { error?: string; errorDetail?: { message?: string } };
      if (event.error || event.errorDetail) return event.errorDetail?.message ?? event.error;
    } catch {
      // A torn line carries no verdict.
    }
  }
  return undefined;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export class DockerodeEngine implements DockerEngine {
  private readonly docker: Docker;

  constructor(socketPath = '/var/run/docker.sock') {
    this.docker = new Docker({ socketPath });
  }

  version(): Promise<EngineVersion> {
    return attempt('docker version', async () => {
      const version = await this.docker.version();
      return { version: version.Version, apiVersion: version.ApiVersion };
    });
  }

  dataRoot(): Promise<string> {
    return attempt('docker info', async () => {
      const info = (await this.docker.info()) as { DockerRootDir?: string };
      return info.DockerRootDir ?? '/var/lib/docker';
    });
  }

  layersSize(): Promise<number> {
    return attempt('docker system df', async () => {
      const df = (await this.docker.df()) as { LayersSize?: number };
      return df.LayersSize ?? 0;
    });
  }

  createContainer(spec: ContainerSpec): Promise<string> {
    return attempt(`create container ${spec.name}`, async () => {
      const container = await this.docker.createContainer(createOptions(spec));
      return container.id;
    });
  }

  startContainer(id: string): Promise<void> {
    return attempt(`start container ${id}`, async () => {
      try {
        await this.docker.getContainer(id).start();
      } catch (err) {
        // 304: already started.
        if (toEngineError(err, '').statusCode !== 304) throw err;
      }
    });
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: Math.max(0, Math.trunc(timeoutSeconds)) });
    } catch (err) {
      const error = toEngineError(err, `stop container ${id}`);
      if (error.statusCode === 304 || error.statusCode === 404) return;
      throw error;
    }
  }

  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (err) {
      const error = toEngineError(err, `remove container ${id}`);
      // 404: gone already; 409: a removal is already in progress.
      if (error.statusCode === 404 || error.statusCode === 409) return;
      throw error;
    }
  }

  inspectContainer(id: string): Promise<ContainerDetails | undefined> {
    return orMissing(`inspect container ${id}`, async () => detailsOf(await this.docker.getContainer(id).inspect()));
  }

  listContainers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    return attempt('list containers', async () => {
      const label = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
      const rows = await this.docker.listContainers({ all: true, filters: { label } });
      return rows.map((row) => ({
        id: row.Id,
        image: row.Image,
        imageId: row.ImageID,
        labels: row.Labels ?? {},
        status: row.State as EngineStatus,
        created: row.Created,
      }));
    });
  }

  updateContainer(id: string, resources: ResourceLimits): Promise<void> {
    return attempt(`update container ${id}`, async () => {
      await this.docker.getContainer(id).update(hostResources(resources));
    });
  }

  containerUsage(id: string): Promise<UsageSample> {
    return attempt(`stats of container ${id}`, async () => {
      const stats = (await this.docker
        .getContainer(id)
        .stats({ stream: false, 'one-shot': true })) as unknown as StatsJson;
      return usageOf(stats);
    });
  }

  resizeContainer(id: string, width: number, height: number): Promise<void> {
    return attempt(`resize container ${id}`, async () => {
      await this.docker.getContainer(id).resize({ h: height, w: width });
    });
  }

  exec(id: string, options: ExecOptions): Promise<ExecHandle> {
    return attempt(`exec in container ${id}`, async () => {
      const exec = await this.docker.getContainer(id).exec({
        Cmd: options.cmd,
        AttachStdin: options.stdin,
        AttachStdout: options.stdout,
        AttachStderr: options.stderr,
        Tty: options.tty,
      });
      const stream = (await exec.start({ hijack: true, stdin: options.stdin, Tty: options.tty })) as Duplex;
      return {
        stream,
        resize: async (width, height) => {
          await exec.resize({ h: height, w: width });
        },
        exitCode: async () => {
          const state = await exec.inspect();
          return state.Running ? undefined : (state.ExitCode ?? undefined);
        },
      };
    });
  }

  attach(id: string, options: AttachOptions): Promise<Duplex> {
    return attempt(`attach to container ${id}`, async () => {
      const stream = await this.docker.getContainer(id).attach({
        stream: true,
        hijack: true,
        stdin: options.stdin,
        stdout: options.stdout,
        stderr: options.stderr,
      });
      return stream as unknown as Duplex;
    });
  }

  logs(id: string, options: LogOptions): Promise<Readable> {
    return attempt(`logs of container ${id}`, async () => {
      const base = { stdout: true, stderr: true, timestamps: true, ...(options.since ? { since: options.since } : {}) };
      if (options.follow) {
        return (await this.docker.getContainer(id).logs({ ...base, follow: true })) as unknown as Readable;
      }
      const buffer = await this.docker.getContainer(id).logs({ ...base, follow: false });
      return Readable.from([Buffer.isBuffer(buffer) ? buffer : Buffer.from(String(buffer))]);
    });
  }

  async *events(options: EventOptions): AsyncIterable<EngineEvent> {
    if (options.signal.aborted) return;
    const label = Object.entries(options.labels).map(([key, value]) => `${key}=${value}`);
    const stream = (await attempt('follow docker events', () =>
      this.docker.getEvents({
        filters: { type: ['container'], event: [...ENGINE_EVENT_ACTIONS], label },
        ...(options.sinceNanos !== undefined ? { since: sinceSecondsOf(options.sinceNanos) } : {}),
      }),
    )) as Readable;
    const close = () => stream.destroy();
    options.signal.addEventListener('abort', close, { once: true });
    const lines = new LineSplitter();
    try {
      for await (const chunk of stream) {
        for (const line of lines.push(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk))) {
          const event = parseDockerEvent(line);
          if (event) yield event;
        }
      }
    } catch (err) {
      if (options.signal.aborted) return;
      throw toEngineError(err, 'follow docker events');
    } finally {
      options.signal.removeEventListener('abort', close);
      stream.destroy();
    }
    if (!options.signal.aborted) throw new EngineError('follow docker events: docker ended the event stream', 503);
  }

  listImages(): Promise<ImageDetails[]> {
    return attempt('list images', async () => (await this.docker.listImages()).map((image) => imageOf(image, '')));
  }

  inspectImage(reference: string): Promise<ImageDetails | undefined> {
    return orMissing(`inspect image ${reference}`, async () => {
      const info = await this.docker.getImage(reference).inspect();
      return imageOf(info, info.Config?.User ?? '');
    });
  }

  pullImage(reference: string, auth?: RegistryAuth): Promise<void> {
    return attempt(`pull image ${reference}`, async () => {
      const options = auth ? { authconfig: auth } : {};
      const stream = (await this.docker.pull(reference, options)) as Readable;
      const failure = pullErrorOf(await readAll(stream));
      if (failure) throw new EngineError(failure, 500);
    });
  }

  async removeImage(reference: string): Promise<void> {
    try {
      await this.docker.getImage(reference).remove();
    } catch (err) {
      const error = toEngineError(err, `remove image ${reference}`);
      if (error.statusCode === 404) return;
      throw error;
    }
  }
}
