/**
 * Pod sandboxes: a pause container with no network of its own (the network plugin adds
 * the pod's interfaces to its namespace), an IPC namespace the pod's containers join, a
 * resolv.conf from the pod's DNS config for its containers, and labels that map it back to
 * the pod.
 */

import {
  NamespaceMode,
  type PodSandbox,
  type PodSandboxConfig,
  type PodSandboxFilter,
  type PodSandboxStatusResponse,
} from '@tkube/api/cri';
import type { Logger } from 'pino';
import { resolvConfOf, sandboxSpecOf } from './container-config.js';
import type { ContainerDetails, ContainerSpec, ContainerSummary, DockerEngine } from './docker/engine.js';
import { engineFailure, notFound } from './errors.js';
import {
  annotationsOf,
  criLabelsOf,
  isSandbox,
  MANAGED_LABEL,
  matchesSelector,
  SANDBOX_ID_LABEL,
  SANDBOX_TYPE,
  sandboxMetadataOf,
  TYPE_LABEL,
} from './labels.js';
import type { LogManager } from './logs/log-manager.js';
import { podIpsOf } from './pod-ips.js';
import type { SandboxDnsFiles } from './sandbox-dns-files.js';
import { sandboxOf, sandboxStateOf } from './status-mapping.js';
import { nowNanos, rfc3339ToNanos } from './timestamps.js';

/** Seconds the pause container gets to stop: it exits on SIGTERM at once. */
const SANDBOX_STOP_SECONDS = 10;

export interface SandboxServiceOptions {
  engine: DockerEngine;
  logs: LogManager;
  pauseImage: string;
  logger: Logger;
  /** Where each sandbox's resolv.conf is written. */
  dnsFiles: SandboxDnsFiles;
  /** Reads the sandbox's IPs from its netns (replaced in tests). */
  podIps?: (pid: number) => Promise<string[]>;
}

/** Creates a container; on a name conflict with a leftover that is not running, removes it and retries once. */
export async function createReplacingStale(engine: DockerEngine, spec: ContainerSpec): Promise<string> {
  try {
    return await engine.createContainer(spec);
  } catch (err) {
    const error = engineFailure(err, `create ${spec.name}`);
    if (error.reason !== 'Conflict') throw error;
    const existing = await engine.inspectContainer(spec.name);
    if (existing?.status === 'running') return existing.id;
    if (existing) await engine.removeContainer(existing.id);
    try {
      return await engine.createContainer(spec);
    } catch (retryErr) {
      throw engineFailure(retryErr, `create ${spec.name}`);
    }
  }
}

export class SandboxService {
  private readonly engine: DockerEngine;
  private readonly podIps: (pid: number) => Promise<string[]>;

  constructor(private readonly options: SandboxServiceOptions) {
    this.engine = options.engine;
    this.podIps = options.podIps ?? podIpsOf;
  }

  async run(config: PodSandboxConfig | undefined): Promise<string> {
    const spec = sandboxSpecOf(config ?? emptyConfig(), this.options.pauseImage);
    const id = await createReplacingStale(this.engine, spec);
    try {
      // Written before the start, so no container of the sandbox can be made without it.
      const resolvConf = config && resolvConfOf(config);
      if (resolvConf) await this.options.dnsFiles.write(id, resolvConf);
      await this.engine.startContainer(id);
    } catch (err) {
      await this.engine.removeContainer(id).catch(() => undefined);
      await this.options.dnsFiles.remove(id).catch(() => undefined);
      throw engineFailure(err, `start sandbox ${spec.name}`);
    }
    this.options.logger.info({ sandboxId: id, name: spec.name }, 'sandbox running');
    return id;
  }

  /** Stops the sandbox's containers (forcibly: the kubelet stopped them gracefully before), then the pause container. */
  async stop(id: string): Promise<void> {
    const sandbox = await this.sandboxOrUndefined(id);
    const members = await this.members(sandbox?.id ?? id);
    await Promise.all(
      members.map((memberId) =>
        this.engine.stopContainer(memberId, 0).catch((err: unknown) => {
          throw engineFailure(err, `stop container ${memberId} of sandbox ${id}`);
        }),
      ),
    );
    if (!sandbox) return;
    try {
      await this.engine.stopContainer(sandbox.id, SANDBOX_STOP_SECONDS);
    } catch (err) {
      throw engineFailure(err, `stop sandbox ${id}`);
    }
  }

  async remove(id: string): Promise<void> {
    const sandbox = await this.sandboxOrUndefined(id);
    const members = await this.members(sandbox?.id ?? id);
    for (const memberId of members) {
      this.options.logs.stop(memberId);
      await this.engine.removeContainer(memberId).catch((err: unknown) => {
        throw engineFailure(err, `remove container ${memberId} of sandbox ${id}`);
      });
    }
    if (!sandbox) return;
    try {
      await this.engine.removeContainer(sandbox.id);
      await this.options.dnsFiles.remove(sandbox.id);
    } catch (err) {
      throw engineFailure(err, `remove sandbox ${id}`);
    }
  }

  async status(id: string): Promise<PodSandboxStatusResponse> {
    const sandbox = await this.sandboxOrUndefined(id);
    if (!sandbox) throw notFound('sandbox', id);
    const running = sandbox.status === 'running';
    const ips = running ? await this.podIps(sandbox.pid) : [];
    const info: Record<string, string> = {};
    if (running && sandbox.pid > 0) {
      info.netnsPath = `/proc/${sandbox.pid}/ns/net`;
      info.pid = String(sandbox.pid);
    }
    return {
      status: {
        id: sandbox.id,
        metadata: sandboxMetadataOf(sandbox.labels),
        state: sandboxStateOf(sandbox.status),
        createdAt: rfc3339ToNanos(sandbox.created),
        network: {
          ip: ips[0] ?? '',
          additionalIps: ips.slice(1).map((ip) => ({ ip })),
        },
        linux: { namespaces: { options: namespaceOptionsOf(sandbox) } },
        labels: criLabelsOf(sandbox.labels),
        annotations: annotationsOf(sandbox.labels),
        runtimeHandler: '',
      },
      info,
      containersStatuses: [],
      timestamp: nowNanos(),
    };
  }

  async list(filter: PodSandboxFilter | undefined): Promise<PodSandbox[]> {
    let rows: ContainerSummary[];
    try {
      rows = await this.engine.listContainers({
        ...(filter?.labelSelector ?? {}),
        [TYPE_LABEL]: SANDBOX_TYPE,
        [MANAGED_LABEL]: 'true',
      });
    } catch (err) {
      throw engineFailure(err, 'list sandboxes');
    }
    return rows
      .map(sandboxOf)
      .filter((sandbox) => !filter?.id || sandbox.id.startsWith(filter.id))
      .filter((sandbox) => !filter?.state || sandbox.state === filter.state.state)
      .filter((sandbox) => matchesSelector(sandbox.labels, filter?.labelSelector));
  }

  /** The sandbox's details, or undefined when it is gone or the id names something else. */
  async sandboxOrUndefined(id: string): Promise<ContainerDetails | undefined> {
    if (!id) return undefined;
    let details: ContainerDetails | undefined;
    try {
      details = await this.engine.inspectContainer(id);
    } catch (err) {
      throw engineFailure(err, `inspect sandbox ${id}`);
    }
    return details && isSandbox(details.labels) ? details : undefined;
  }

  private async members(sandboxId: string): Promise<string[]> {
    try {
      const rows = await this.engine.listContainers({ [SANDBOX_ID_LABEL]: sandboxId, [MANAGED_LABEL]: 'true' });
      return rows.map((row) => row.id);
    } catch (err) {
      throw engineFailure(err, `list containers of sandbox ${sandboxId}`);
    }
  }
}

function namespaceOptionsOf(sandbox: ContainerDetails) {
  return {
    network: sandbox.networkMode === 'host' ? NamespaceMode.NODE : NamespaceMode.POD,
    pid: sandbox.pidMode === 'host' ? NamespaceMode.NODE : NamespaceMode.CONTAINER,
    ipc: sandbox.ipcMode === 'host' ? NamespaceMode.NODE : NamespaceMode.POD,
    targetId: '',
  };
}

function emptyConfig(): PodSandboxConfig {
  return {
    hostname: '',
    logDirectory: '',
    portMappings: [],
    labels: {},
    annotations: {},
  };
}
