/**
 * Containers of a sandbox: created joined to the sandbox's network and IPC namespaces,
 * with the sandbox's resolv.conf, their output copied into the kubelet's log file in the CRI format.
 */

import {
  type Container,
  type ContainerConfig,
  type ContainerFilter,
  ContainerState,
  type ContainerStats,
  type ContainerStatsFilter,
  type ContainerStatusResponse,
  type LinuxContainerResources,
  type PodSandboxConfig,
} from '@tkube/api/cri';
import type { Logger } from 'pino';
import { containerSpecOf, resourceLimitsOf } from './container-config.js';
import type { ContainerDetails, ContainerSummary, DockerEngine, UsageSample } from './docker/engine.js';
import { engineFailure, invalidArgument, notFound } from './errors.js';
import {
  annotationsOf,
  CONTAINER_TYPE,
  containerMetadataOf,
  criLabelsOf,
  isSandbox,
  LOG_PATH_LABEL,
  MANAGED_LABEL,
  matchesSelector,
  SANDBOX_ID_LABEL,
  sandboxMetadataOf,
  TYPE_LABEL,
} from './labels.js';
import type { LogManager } from './logs/log-manager.js';
import type { SandboxDnsFiles } from './sandbox-dns-files.js';
import { createReplacingStale } from './sandboxes.js';
import { containerOf, containerStatusOf } from './status-mapping.js';
import { nowNanos } from './timestamps.js';

export interface ContainerServiceOptions {
  engine: DockerEngine;
  logs: LogManager;
  logger: Logger;
  /** The sandboxes' resolv.conf files, mounted into their containers. */
  dnsFiles: SandboxDnsFiles;
}

export class ContainerService {
  private readonly engine: DockerEngine;
  private readonly logs: LogManager;

  constructor(private readonly options: ContainerServiceOptions) {
    this.engine = options.engine;
    this.logs = options.logs;
  }

  async create(
    sandboxId: string,
    config: ContainerConfig | undefined,
    sandboxConfig: PodSandboxConfig | undefined,
  ): Promise<string> {
    const sandbox = await this.inspect(sandboxId, 'sandbox');
    if (!sandbox || !isSandbox(sandbox.labels)) throw notFound('sandbox', sandboxId);
    // Without the sandbox config (optional on the wire), the pod is read back from the sandbox.
    const podConfig: PodSandboxConfig = sandboxConfig ?? {
      metadata: sandboxMetadataOf(sandbox.labels),
      hostname: '',
      logDirectory: '',
      portMappings: [],
      labels: {},
      annotations: {},
    };
    if (!config) throw invalidArgument('CreateContainer needs a container config');
    const resolvConfPath = await this.options.dnsFiles.existing(sandbox.id);
    const spec = containerSpecOf({
      sandboxId: sandbox.id,
      config,
      sandboxConfig: podConfig,
      ...(resolvConfPath ? { resolvConfPath } : {}),
    });
    const id = await createReplacingStale(this.engine, spec);
    this.options.logger.info({ containerId: id, name: spec.name, sandboxId }, 'container created');
    return id;
  }

  async start(id: string): Promise<void> {
    const details = await this.containerOrThrow(id);
    try {
      await this.engine.startContainer(details.id);
    } catch (err) {
      throw engineFailure(err, `start container ${id}`);
    }
    this.logs.follow({
      containerId: details.id,
      path: details.labels[LOG_PATH_LABEL] ?? '',
      tty: details.tty,
      running: true,
    });
  }

  /** SIGTERM (or the image's STOPSIGNAL), `timeout` seconds, SIGKILL. Missing or stopped is success. */
  async stop(id: string, timeoutSeconds: number): Promise<void> {
    try {
      await this.engine.stopContainer(id, timeoutSeconds);
    } catch (err) {
      throw engineFailure(err, `stop container ${id}`);
    }
  }

  async remove(id: string): Promise<void> {
    this.logs.stop(id);
    try {
      await this.engine.removeContainer(id);
    } catch (err) {
      throw engineFailure(err, `remove container ${id}`);
    }
  }

  async list(filter: ContainerFilter | undefined): Promise<Container[]> {
    const labels: Record<string, string> = {
      ...(filter?.labelSelector ?? {}),
      [TYPE_LABEL]: CONTAINER_TYPE,
      [MANAGED_LABEL]: 'true',
    };
    if (filter?.podSandboxId) labels[SANDBOX_ID_LABEL] = filter.podSandboxId;
    let rows: ContainerSummary[];
    try {
      rows = await this.engine.listContainers(labels);
    } catch (err) {
      throw engineFailure(err, 'list containers');
    }
    return rows
      .map(containerOf)
      .filter((container) => !filter?.id || container.id.startsWith(filter.id))
      .filter((container) => !filter?.state || container.state === filter.state.state)
      .filter((container) => matchesSelector(container.labels, filter?.labelSelector));
  }

  async status(id: string, verbose: boolean): Promise<ContainerStatusResponse> {
    const details = await this.containerOrThrow(id);
    const info: Record<string, string> = {};
    if (verbose) info.info = JSON.stringify({ pid: details.pid, sandboxID: details.labels[SANDBOX_ID_LABEL] ?? '' });
    return { status: containerStatusOf(details), info };
  }

  async updateResources(id: string, resources: LinuxContainerResources | undefined): Promise<void> {
    const details = await this.containerOrThrow(id);
    try {
      await this.engine.updateContainer(details.id, resourceLimitsOf(resources));
    } catch (err) {
      throw engineFailure(err, `update resources of container ${id}`);
    }
  }

  async reopenLog(id: string): Promise<void> {
    const details = await this.containerOrThrow(id);
    if (details.status !== 'running') throw engineFailure(new Error('container is not running'), `reopen log of ${id}`);
    if (!(await this.logs.reopen(details.id))) {
      this.logs.follow({
        containerId: details.id,
        path: details.labels[LOG_PATH_LABEL] ?? '',
        tty: details.tty,
        running: true,
      });
    }
  }

  async stats(id: string): Promise<ContainerStats> {
    const details = await this.containerOrThrow(id);
    return this.statsOf(details.id, details.labels);
  }

  /** Stats of the running containers the filter selects. */
  async listStats(filter: ContainerStatsFilter | undefined): Promise<ContainerStats[]> {
    const containers = await this.list({
      id: filter?.id ?? '',
      podSandboxId: filter?.podSandboxId ?? '',
      labelSelector: filter?.labelSelector ?? {},
      state: { state: ContainerState.CONTAINER_RUNNING },
    });
    const stats = await Promise.all(
      containers.map((container) =>
        this.statsOf(container.id, { ...container.labels }, container).catch(() => undefined),
      ),
    );
    return stats.filter((entry): entry is ContainerStats => entry !== undefined);
  }

  /** Resumes copying logs of every container this plugin made (after a restart of the plugin). */
  async resumeLogs(): Promise<void> {
    const rows = await this.engine.listContainers({ [TYPE_LABEL]: CONTAINER_TYPE, [MANAGED_LABEL]: 'true' });
    for (const row of rows) {
      const path = row.labels[LOG_PATH_LABEL];
      if (!path || row.status === 'created') continue;
      const details = await this.engine.inspectContainer(row.id).catch(() => undefined);
      if (!details) continue;
      this.logs.follow({ containerId: row.id, path, tty: details.tty, running: details.status === 'running' });
    }
  }

  /** A container of this plugin (not a sandbox), or NotFound. */
  async containerOrThrow(id: string): Promise<ContainerDetails> {
    const details = await this.inspect(id, 'container');
    if (!details || isSandbox(details.labels) || details.labels[TYPE_LABEL] !== CONTAINER_TYPE) {
      throw notFound('container', id);
    }
    return details;
  }

  private async inspect(id: string, what: string): Promise<ContainerDetails | undefined> {
    if (!id) return undefined;
    try {
      return await this.engine.inspectContainer(id);
    } catch (err) {
      throw engineFailure(err, `inspect ${what} ${id}`);
    }
  }

  private async statsOf(id: string, dockerLabels: Record<string, string>, known?: Container): Promise<ContainerStats> {
    let usage: UsageSample;
    try {
      usage = await this.engine.containerUsage(id);
    } catch (err) {
      throw engineFailure(err, `stats of container ${id}`);
    }
    const timestamp = nowNanos();
    const available =
      usage.memoryLimitBytes > 0 ? Math.max(0, usage.memoryLimitBytes - usage.memoryWorkingSetBytes) : 0;
    return {
      attributes: {
        id,
        metadata: known?.metadata ?? containerMetadataOf(dockerLabels),
        labels: known?.labels ?? criLabelsOf(dockerLabels),
        annotations: known?.annotations ?? annotationsOf(dockerLabels),
      },
      cpu: {
        timestamp,
        usageCoreNanoSeconds: { value: BigInt(Math.trunc(usage.cpuTotalNanos)) },
      },
      memory: {
        timestamp,
        workingSetBytes: { value: BigInt(Math.trunc(usage.memoryWorkingSetBytes)) },
        availableBytes: { value: BigInt(Math.trunc(available)) },
        usageBytes: { value: BigInt(Math.trunc(usage.memoryUsageBytes)) },
        rssBytes: { value: BigInt(Math.trunc(usage.rssBytes)) },
        pageFaults: { value: BigInt(Math.trunc(usage.pageFaults)) },
        majorPageFaults: { value: BigInt(Math.trunc(usage.majorPageFaults)) },
      },
    };
  }
}
