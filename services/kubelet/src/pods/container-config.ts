/**
 * The CRI ContainerConfig of a container (kube's generateContainerConfig): command and
 * args with $(VAR) expanded, env, mounts, the log path, labels and annotations that map
 * it back, and resources as cgroup settings (cpu limit -> quota over a 100 ms period, cpu
 * request -> shares, memory limit -> bytes).
 */
import type { Container, Pod } from '@tkube/api';
import { Quantity } from '@tkube/api';
import { type ContainerConfig, ContainerConfig as ContainerConfigMessage, NamespaceMode } from '@tkube/api/cri';
import type { EnvVariable } from '../env/container-env.js';
import { expandCommand } from '../env/container-env.js';
import { type ContainerType, containerAnnotations, containerLabels } from '../runtime/labels.js';
import type { ContainerMount } from '../volumes/mounts.js';
import { containerLogPath } from './pod-dirs.js';

export const CPU_PERIOD_US = 100_000;
const MIN_SHARES = 2;
const SHARES_PER_CPU = 1024;

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  type: ContainerType;
  imageRef: string;
  restartCount: number;
  hash: string;
  env: EnvVariable[];
  mounts: ContainerMount[];
}

export function containerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container } = input;
  const { command, args } = expandCommand(container, input.env);
  const security = container.securityContext ?? {};
  const podSecurity = pod.spec?.securityContext ?? {};
  const runAsUser = security.runAsUser ?? podSecurity.runAsUser;
  const runAsGroup = security.runAsGroup ?? podSecurity.runAsGroup;
  return ContainerConfigMessage.fromPartial({
    metadata: { name: container.name, attempt: input.restartCount },
    image: { image: container.image ?? input.imageRef, userSpecifiedImage: container.image ?? '' },
    command,
    args,
    workingDir: container.workingDir ?? '',
    envs: input.env.map((v) => ({ key: v.name, value: v.value })),
    mounts: input.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly })),
    labels: containerLabels(pod, container, input.type),
    annotations: containerAnnotations(pod, container, input.hash, input.restartCount),
    logPath: containerLogPath(container.name, input.restartCount),
    stdin: container.stdin ?? false,
    stdinOnce: container.stdinOnce ?? false,
    tty: container.tty ?? false,
    linux: {
      resources: linuxResources(container),
      securityContext: {
        privileged: security.privileged ?? false,
        readonlyRootfs: security.readOnlyRootFilesystem ?? false,
        capabilities: {
          addCapabilities: security.capabilities?.add ?? [],
          dropCapabilities: security.capabilities?.drop ?? [],
        },
        ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
        ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
        supplementalGroups: podSecurity.supplementalGroups ?? [],
        namespaceOptions: {
          network: pod.spec?.hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD,
          pid: pod.spec?.hostPID
            ? NamespaceMode.NODE
            : pod.spec?.shareProcessNamespace
              ? NamespaceMode.POD
              : NamespaceMode.CONTAINER,
          ipc: pod.spec?.hostIPC ? NamespaceMode.NODE : NamespaceMode.POD,
        },
      },
    },
  });
}

export function linuxResources(container: Container) {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const cpuLimit = limits.cpu !== undefined ? Quantity.from(limits.cpu).milliValue() : undefined;
  const cpuRequest = requests.cpu ?? limits.cpu;
  const cpuShares =
    cpuRequest !== undefined
      ? Math.max(MIN_SHARES, Math.floor((Number(Quantity.from(cpuRequest).milliValue()) * SHARES_PER_CPU) / 1000))
      : MIN_SHARES;
  const memory = limits.memory !== undefined ? Quantity.from(limits.memory).value() : 0n;
  return {
    cpuPeriod: cpuLimit !== undefined ? BigInt(CPU_PERIOD_US) : 0n,
    cpuQuota: cpuLimit !== undefined ? (cpuLimit * BigInt(CPU_PERIOD_US)) / 1000n : 0n,
    cpuShares: BigInt(cpuShares),
    memoryLimitInBytes: memory,
  };
}
