/**
 * In-memory fakes of the CRI runtime and image services and of the network plugin, for
 * the kubelet's unit tests: sandboxes and containers with states and times, label
 * filters, a call log, and knobs to make a container exit or a call fail.
 */
import type { CniAttachmentArgs, Result } from '@tkube/api/cni';
import {
  type ContainerConfig,
  ContainerConfig as ContainerConfigMessage,
  ContainerState,
  ContainerStatus,
  Container as CriContainer,
  type DeepPartial,
  ExecSyncResponse,
  PodSandbox,
  type PodSandboxConfig,
  PodSandboxConfig as PodSandboxConfigMessage,
  PodSandboxState,
  PodSandboxStatus,
  type PodSandboxStatusResponse,
  VersionResponse,
} from '@tkube/api/cri';
import type { ImageService, NetworkPlugin, RuntimeService } from '../runtime/runtime-services.js';

interface FakeSandbox {
  id: string;
  config: PodSandboxConfig;
  state: PodSandboxState;
  createdAt: bigint;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
}

const matches = (labels: Record<string, string>, selector: Record<string, string | undefined> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

export class FakeRuntime implements RuntimeService, ImageService {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly images = new Set<string>(['busybox:1.35']);
  readonly calls: string[] = [];
  /** Exit code of containers whose command is this (a command that "crashes" at once). */
  exitAtStart = new Map<string, number>();
  execExitCode = 0;
  /** When set, the runtime networks its pods itself (like cri-fake): this IP, no netns path. */
  ownPodIp: string | undefined;
  private seq = 0;
  private ticks = 0;
  /** Wall-clock milliseconds of the fake; tests that step time replace it. */
  clockMs: () => number = Date.now;

  /** Now, in nanoseconds, strictly increasing so that creation order is kept. */
  private tick(): bigint {
    return BigInt(this.clockMs()) * 1_000_000n + BigInt(++this.ticks) * 1_000n;
  }

  /** Makes a running container exit. */
  exit(id: string, exitCode: number): void {
    const container = this.containers.get(id);
    if (!container || container.state !== ContainerState.CONTAINER_RUNNING) return;
    container.state = ContainerState.CONTAINER_EXITED;
    container.exitCode = exitCode;
    container.finishedAt = this.tick();
  }

  byName(name: string): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.config.metadata?.name === name);
  }

  version = async () =>
    VersionResponse.fromPartial({ runtimeName: 'docker', runtimeVersion: '20.10.24', runtimeApiVersion: 'v1' });
  status = async () => ({
    status: {
      conditions: [
        { type: 'RuntimeReady', status: true, reason: '', message: '' },
        { type: 'NetworkReady', status: true, reason: '', message: '' },
      ],
    },
    info: {},
  });

  runPodSandbox = async (request?: DeepPartial<{ config: PodSandboxConfig }>) => {
    const id = `sb${++this.seq}`;
    this.calls.push(`runPodSandbox ${request?.config?.metadata?.name}`);
    this.sandboxes.set(id, {
      id,
      config: PodSandboxConfigMessage.fromPartial(request?.config ?? {}),
      state: PodSandboxState.SANDBOX_READY,
      createdAt: this.tick(),
    });
    return { podSandboxId: id };
  };

  stopPodSandbox = async (request?: { podSandboxId?: string }) => {
    this.calls.push(`stopPodSandbox ${request?.podSandboxId}`);
    const sandbox = this.sandboxes.get(request?.podSandboxId ?? '');
    if (sandbox) sandbox.state = PodSandboxState.SANDBOX_NOTREADY;
    for (const c of this.containers.values()) if (c.sandboxId === sandbox?.id) this.exit(c.id, 137);
    return {};
  };

  removePodSandbox = async (request?: { podSandboxId?: string }) => {
    this.calls.push(`removePodSandbox ${request?.podSandboxId}`);
    this.sandboxes.delete(request?.podSandboxId ?? '');
    for (const c of [...this.containers.values()])
      if (c.sandboxId === request?.podSandboxId) this.containers.delete(c.id);
    return {};
  };

  podSandboxStatus = async (request?: { podSandboxId?: string }): Promise<PodSandboxStatusResponse> => {
    const sandbox = this.sandboxes.get(request?.podSandboxId ?? '');
    if (!sandbox) throw Object.assign(new Error('not found'), { code: 5 });
    return {
      status: PodSandboxStatus.fromPartial({
        id: sandbox.id,
        metadata: sandbox.config.metadata,
        state: sandbox.state,
        createdAt: sandbox.createdAt,
        labels: sandbox.config.labels,
        ...(this.ownPodIp ? { network: { ip: this.ownPodIp, additionalIps: [] } } : {}),
      }),
      info: this.infoOf(sandbox.id),
      containersStatuses: [],
      timestamp: 0n,
    };
  };

  private infoOf(sandboxId: string): Record<string, string> {
    return this.ownPodIp ? {} : { netnsPath: `/var/run/netns/${sandboxId}` };
  }

  listPodSandbox = async (request?: DeepPartial<{ filter: { labelSelector: Record<string, string> } }>) => ({
    items: [...this.sandboxes.values()]
      .filter((s) => matches(s.config.labels, request?.filter?.labelSelector as Record<string, string>))
      .map((s) =>
        PodSandbox.fromPartial({
          id: s.id,
          metadata: s.config.metadata,
          state: s.state,
          createdAt: s.createdAt,
          labels: s.config.labels,
          annotations: s.config.annotations,
        }),
      ),
  });

  createContainer = async (request?: DeepPartial<{ podSandboxId: string; config: ContainerConfig }>) => {
    const id = `c${++this.seq}`;
    const config = ContainerConfigMessage.fromPartial(request?.config ?? {});
    this.calls.push(`createContainer ${config.metadata?.name}`);
    this.containers.set(id, {
      id,
      sandboxId: request?.podSandboxId ?? '',
      config,
      state: ContainerState.CONTAINER_CREATED,
      createdAt: this.tick(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
    });
    return { containerId: id };
  };

  startContainer = async (request?: { containerId?: string }) => {
    const container = this.containers.get(request?.containerId ?? '');
    if (!container) throw new Error('no such container');
    this.calls.push(`startContainer ${container.config.metadata?.name}`);
    container.state = ContainerState.CONTAINER_RUNNING;
    container.startedAt = this.tick();
    const exitCode = this.exitAtStart.get(container.config.command.join(' ') || container.config.metadata?.name || '');
    if (exitCode !== undefined) this.exit(container.id, exitCode);
    return {};
  };

  stopContainer = async (request?: DeepPartial<{ containerId: string; timeout: bigint }>) => {
    const container = this.containers.get(request?.containerId ?? '');
    this.calls.push(`stopContainer ${container?.config.metadata?.name} ${request?.timeout}`);
    if (container) this.exit(container.id, 137);
    return {};
  };

  removeContainer = async (request?: { containerId?: string }) => {
    this.calls.push(`removeContainer ${this.containers.get(request?.containerId ?? '')?.config.metadata?.name}`);
    this.containers.delete(request?.containerId ?? '');
    return {};
  };

  listContainers = async (request?: DeepPartial<{ filter: { labelSelector: Record<string, string> } }>) => ({
    containers: [...this.containers.values()]
      .filter((c) => matches(c.config.labels, request?.filter?.labelSelector as Record<string, string>))
      .map((c) =>
        CriContainer.fromPartial({
          id: c.id,
          podSandboxId: c.sandboxId,
          metadata: c.config.metadata,
          image: c.config.image,
          state: c.state,
          createdAt: c.createdAt,
          labels: c.config.labels,
          annotations: c.config.annotations,
        }),
      ),
  });

  containerStatus = async (request?: { containerId?: string }) => {
    const c = this.containers.get(request?.containerId ?? '');
    if (!c) throw new Error('no such container');
    return {
      status: ContainerStatus.fromPartial({
        id: c.id,
        metadata: c.config.metadata,
        state: c.state,
        createdAt: c.createdAt,
        startedAt: c.startedAt,
        finishedAt: c.finishedAt,
        exitCode: c.exitCode,
        image: c.config.image,
        imageRef: `sha256:${c.config.image?.image}`,
        labels: c.config.labels,
        annotations: c.config.annotations,
      }),
      info: {},
    };
  };

  execSync = async (request?: DeepPartial<{ containerId: string; cmd: string[] }>) => {
    this.calls.push(`execSync ${(request?.cmd ?? []).join(' ')}`);
    return ExecSyncResponse.fromPartial({
      stdout: Buffer.from(''),
      stderr: Buffer.from(''),
      exitCode: this.execExitCode,
    });
  };

  exec = async () => ({ url: 'http://127.0.0.1:1/exec/x' });
  attach = async () => ({ url: 'http://127.0.0.1:1/attach/x' });

  imageStatus = async (request?: DeepPartial<{ image: { image: string } }>) => {
    const name = request?.image?.image ?? '';
    return {
      image: this.images.has(name)
        ? { id: `sha256:${name}`, repoTags: [name], repoDigests: [], size: 1n, username: '', pinned: false }
        : undefined,
      info: {},
    };
  };

  pullImage = async (request?: DeepPartial<{ image: { image: string } }>) => {
    const name = request?.image?.image ?? '';
    this.calls.push(`pullImage ${name}`);
    throw new Error(`no registry reachable for ${name}`);
  };
}

export class FakeNetwork implements NetworkPlugin {
  readonly attachments = new Map<string, string>();
  /** Every Add, as the kubelet asked for it. */
  readonly adds: CniAttachmentArgs[] = [];
  private next = 2;

  add = async (args: CniAttachmentArgs): Promise<Result> => {
    this.adds.push(args);
    const ip = `10.244.9.${this.next++}`;
    this.attachments.set(args.containerId, ip);
    return { cniVersion: '1.0.0', interfaces: [], ips: [{ address: `${ip}/24`, gateway: '10.244.9.1' }], routes: [] };
  };

  del = async (args: { containerId: string }) => {
    this.attachments.delete(args.containerId);
  };

  status = async () => ({
    ready: true,
    message: '',
    bridge: 'tkt0',
    podCidr: '10.244.9.0/24',
    gateway: '10.244.9.1',
    allocated: 0,
    capacity: 253,
  });
}
