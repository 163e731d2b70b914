/**
 * CRI ContainerConfig / PodSandboxConfig -> what `docker create` is told.
 * Pure functions: the tests read every rule here.
 */

import { join } from 'node:path';
import {
  type ContainerConfig,
  type LinuxContainerResources,
  type Mount,
  MountPropagation,
  NamespaceMode,
  type NamespaceOption,
  type PodSandboxConfig,
} from '@tkube/api/cri';
import type { ContainerSpec, ResourceLimits } from './docker/engine.js';
import { invalidArgument } from './errors.js';
import { containerLabels, sandboxLabels } from './labels.js';
import { containerName, sandboxName } from './names.js';

/** Nonzero CRI limits as Docker resources; without a swap limit, no swap (the kubelet's NoSwap). */
export function resourceLimitsOf(resources: LinuxContainerResources | undefined): ResourceLimits {
  const limits: ResourceLimits = {};
  if (!resources) return limits;
  if (resources.cpuPeriod > 0n) limits.cpuPeriod = Number(resources.cpuPeriod);
  if (resources.cpuQuota > 0n) limits.cpuQuota = Number(resources.cpuQuota);
  if (resources.cpuShares > 0n) limits.cpuShares = Number(resources.cpuShares);
  if (resources.memoryLimitInBytes > 0n) {
    limits.memory = Number(resources.memoryLimitInBytes);
    limits.memorySwap =
      resources.memorySwapLimitInBytes > 0n ? Number(resources.memorySwapLimitInBytes) : limits.memory;
  }
  if (resources.cpusetCpus) limits.cpusetCpus = resources.cpusetCpus;
  if (resources.cpusetMems) limits.cpusetMems = resources.cpusetMems;
  return limits;
}

/** `host:container[:opts]`, the Binds syntax; propagation as Docker names it. */
export function bindOf(mount: Mount): string {
  if (!mount.hostPath || !mount.containerPath) {
    throw invalidArgument(
      `mount needs a host_path and a container_path (got "${mount.hostPath}" -> "${mount.containerPath}")`,
    );
  }
  const options: string[] = [];
  if (mount.readonly) options.push('ro');
  if (mount.propagation === MountPropagation.PROPAGATION_HOST_TO_CONTAINER) options.push('rslave');
  if (mount.propagation === MountPropagation.PROPAGATION_BIDIRECTIONAL) options.push('rshared');
  const base = `${mount.hostPath}:${mount.containerPath}`;
  return options.length ? `${base}:${options.join(',')}` : base;
}

function namespaceModes(sandboxId: string, options: NamespaceOption | undefined) {
  const network = options?.network === NamespaceMode.NODE ? 'host' : `container:${sandboxId}`;
  const ipc = options?.ipc === NamespaceMode.NODE ? 'host' : `container:${sandboxId}`;
  let pid: string | undefined;
  switch (options?.pid) {
    case NamespaceMode.NODE:
      pid = 'host';
      break;
    case NamespaceMode.POD:
      pid = `container:${sandboxId}`;
      break;
    case NamespaceMode.TARGET:
      pid = options.targetId ? `container:${options.targetId}` : undefined;
      break;
    default:
      // CONTAINER (what the kubelet sends for v1 pods unless shareProcessNamespace): private.
      pid = undefined;
  }
  return { network, ipc, pid };
}

/** Docker's User: uid or name, with `:gid` when a group is asked for. */
export function userOf(config: ContainerConfig): string | undefined {
  const security = config.linux?.securityContext;
  if (!security) return undefined;
  let user: string | undefined;
  if (security.runAsUser) user = String(security.runAsUser.value);
  else if (security.runAsUsername) user = security.runAsUsername;
  if (security.runAsGroup) {
    if (user === undefined) throw invalidArgument('run_as_group needs run_as_user or run_as_username');
    user = `${user}:${security.runAsGroup.value}`;
  }
  return user;
}

export interface ContainerSpecInput {
  sandboxId: string;
  config: ContainerConfig;
  sandboxConfig: PodSandboxConfig | undefined;
  /** The sandbox's resolv.conf on the host, mounted at /etc/resolv.conf unless the container mounts its own there. */
  resolvConfPath?: string;
}

const RESOLV_CONF = '/etc/resolv.conf';

/** The bind of the sandbox's resolv.conf (read-only with a read-only root, as containerd does), if any. */
function resolvConfBind(config: ContainerConfig, resolvConfPath: string | undefined): string[] {
  if (!resolvConfPath) return [];
  if (config.mounts.some((mount) => mount.containerPath.replace(/\/+$/, '') === RESOLV_CONF)) return [];
  const readonly = config.linux?.securityContext?.readonlyRootfs;
  return [`${resolvConfPath}:${RESOLV_CONF}${readonly ? ':ro' : ''}`];
}

export function containerSpecOf({
  sandboxId,
  config,
  sandboxConfig,
  resolvConfPath,
}: ContainerSpecInput): ContainerSpec {
  if (!config.metadata?.name) throw invalidArgument('container config needs metadata.name');
  const image = config.image?.image;
  if (!image) throw invalidArgument('container config needs image.image');
  const pod = sandboxConfig?.metadata;
  const logPath = sandboxConfig?.logDirectory && config.logPath ? join(sandboxConfig.logDirectory, config.logPath) : '';
  const security = config.linux?.securityContext;
  const modes = namespaceModes(sandboxId, security?.namespaceOptions);

  const spec: ContainerSpec = {
    name: containerName(config.metadata, pod),
    image,
    labels: containerLabels({
      sandboxId,
      pod,
      metadata: config.metadata,
      labels: config.labels,
      annotations: config.annotations,
      logPath,
    }),
    env: config.envs.map((env) => `${env.key}=${env.value}`),
    tty: config.tty,
    openStdin: config.stdin,
    stdinOnce: config.stdinOnce,
    networkMode: modes.network,
    ipcMode: modes.ipc,
    binds: [...config.mounts.map(bindOf), ...resolvConfBind(config, resolvConfPath)],
    devices: config.devices.map((device) => ({
      hostPath: device.hostPath,
      containerPath: device.containerPath,
      permissions: device.permissions || 'rwm',
    })),
    resources: resourceLimitsOf(config.linux?.resources),
  };
  if (config.command.length) spec.entrypoint = config.command;
  if (config.args.length) spec.cmd = config.args;
  if (config.workingDir) spec.workingDir = config.workingDir;
  const user = userOf(config);
  if (user !== undefined) spec.user = user;
  if (modes.pid) spec.pidMode = modes.pid;
  const cgroupParent = sandboxConfig?.linux?.cgroupParent;
  if (cgroupParent) spec.cgroupParent = cgroupParent;
  const oomScoreAdj = config.linux?.resources?.oomScoreAdj;
  if (oomScoreAdj) spec.oomScoreAdj = Number(oomScoreAdj);
  if (security) {
    if (security.privileged) spec.privileged = true;
    if (security.readonlyRootfs) spec.readonlyRootfs = true;
    if (security.capabilities?.addCapabilities.length) spec.capAdd = security.capabilities.addCapabilities;
    if (security.capabilities?.dropCapabilities.length) spec.capDrop = security.capabilities.dropCapabilities;
    if (security.noNewPrivs) spec.securityOpt = ['no-new-privileges'];
    if (security.supplementalGroups.length) spec.groupAdd = security.supplementalGroups.map(String);
  }
  return spec;
}

export function sandboxSpecOf(config: PodSandboxConfig, pauseImage: string): ContainerSpec {
  const metadata = config.metadata;
  if (!metadata?.name || !metadata.namespace || !metadata.uid) {
    throw invalidArgument('sandbox config needs metadata.name, metadata.namespace and metadata.uid');
  }
  const security = config.linux?.securityContext;
  const namespaces = security?.namespaceOptions;
  const hostNetwork = namespaces?.network === NamespaceMode.NODE;
  const spec: ContainerSpec = {
    name: sandboxName(metadata),
    image: pauseImage,
    labels: sandboxLabels(metadata, config.labels, config.annotations),
    // The network plugin gives the sandbox its interfaces; Docker must not.
    networkMode: hostNetwork ? 'host' : 'none',
    // `shareable`: the pod's containers join this IPC namespace.
    ipcMode: namespaces?.ipc === NamespaceMode.NODE ? 'host' : 'shareable',
  };
  if (!hostNetwork && config.hostname) spec.hostname = config.hostname;
  if (namespaces?.pid === NamespaceMode.NODE) spec.pidMode = 'host';
  if (config.linux?.cgroupParent) spec.cgroupParent = config.linux.cgroupParent;
  if (config.linux?.sysctls && Object.keys(config.linux.sysctls).length) spec.sysctls = config.linux.sysctls;
  if (security?.privileged) spec.privileged = true;
  return spec;
}

/**
 * The resolv.conf a sandbox gets from its DNSConfig (as dockershim and containerd write it:
 * a nameserver line each, one search line, one options line), or undefined to keep Docker's.
 */
export function resolvConfOf(config: PodSandboxConfig): string | undefined {
  const dns = config.dnsConfig;
  if (!dns || (!dns.servers.length && !dns.searches.length && !dns.options.length)) return undefined;
  const lines = dns.servers.map((server) => `nameserver ${server}`);
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
