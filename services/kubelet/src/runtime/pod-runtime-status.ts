/**
 * The runtime's view of one pod (kube's kubecontainer.PodStatus): its sandboxes and
 * containers, newest first, read from the CRI and mapped back through the labels. The
 * sandbox's IPs come from the network the kubelet set up (the runtime does not call the
 * network plugin here), recorded in the NetworkStore.
 */
import { ContainerState, nanosToMillis, PodSandboxState, type PodSandboxStatusResponse } from '@tkube/api/cri';
import type { RecordedNetwork } from '../network/network-store.js';
import {
  CONTAINER_HASH_ANNOTATION,
  CONTAINER_NAME_LABEL,
  CONTAINER_TYPE_LABEL,
  type ContainerType,
  POD_UID_LABEL,
  RESTART_COUNT_ANNOTATION,
} from './labels.js';
import type { RuntimeService } from './runtime-services.js';

export type ContainerRunState = 'created' | 'running' | 'exited' | 'unknown';

export interface SandboxRuntimeStatus {
  id: string;
  attempt: number;
  ready: boolean;
  /** Milliseconds since the epoch. */
  createdAt: number;
  ips: string[];
  netnsPath?: string;
}

export interface ContainerRuntimeStatus {
  id: string;
  name: string;
  type: ContainerType;
  sandboxId: string;
  state: ContainerRunState;
  /** Milliseconds since the epoch; 0 when not reached. */
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  message: string;
  image: string;
  imageRef: string;
  hash: string;
  restartCount: number;
  annotations: Record<string, string>;
}

export interface PodRuntimeStatus {
  uid: string;
  sandboxes: SandboxRuntimeStatus[];
  containers: ContainerRuntimeStatus[];
}

/** What the network store answers: the IPs the kubelet got for a sandbox. */
export type NetworkLookup = (podUid: string, sandboxId: string) => RecordedNetwork | undefined;

export async function readPodRuntimeStatus(
  runtime: RuntimeService,
  uid: string,
  network: NetworkLookup,
): Promise<PodRuntimeStatus> {
  const labelSelector = { [POD_UID_LABEL]: uid };
  const [sandboxes, containers] = await Promise.all([
    runtime.listPodSandbox({ filter: { labelSelector } }),
    runtime.listContainers({ filter: { labelSelector } }),
  ]);
  const sandboxStatuses = await Promise.all(
    sandboxes.items.map(async (item) => {
      const response = await runtime.podSandboxStatus({ podSandboxId: item.id, verbose: true }).catch(() => undefined);
      const status = response?.status;
      const recorded = network(uid, item.id);
      const runtimeIps = response ? runtimeManagedIps(response) : [];
      const ips = runtimeIps.length > 0 ? runtimeIps : (recorded?.ips ?? []);
      const netnsPath = response ? netnsPathOf(response.info) : undefined;
      const sandbox: SandboxRuntimeStatus = {
        id: item.id,
        attempt: item.metadata?.attempt ?? 0,
        ready: (status?.state ?? item.state) === PodSandboxState.SANDBOX_READY,
        createdAt: preciseMillis(item.createdAt),
        ips,
      };
      if (netnsPath) sandbox.netnsPath = netnsPath;
      return sandbox;
    }),
  );
  const containerStatuses = await Promise.all(
    containers.containers.map(async (item): Promise<ContainerRuntimeStatus | undefined> => {
      const response = await runtime.containerStatus({ containerId: item.id }).catch(() => undefined);
      const status = response?.status;
      if (!status) return undefined;
      const annotations = status.annotations ?? item.annotations;
      const labels = { ...item.labels, ...status.labels };
      return {
        id: item.id,
        name: labels[CONTAINER_NAME_LABEL] ?? status.metadata?.name ?? '',
        type: labels[CONTAINER_TYPE_LABEL] === 'init' ? 'init' : 'app',
        sandboxId: item.podSandboxId,
        state: stateOf(status.state),
        createdAt: preciseMillis(status.createdAt),
        startedAt: nanosToMillis(status.startedAt),
        finishedAt: nanosToMillis(status.finishedAt),
        exitCode: status.exitCode,
        reason: status.reason,
        message: status.message,
        image: status.image?.userSpecifiedImage || status.image?.image || item.image?.image || '',
        imageRef: status.imageRef || item.imageRef,
        hash: annotations[CONTAINER_HASH_ANNOTATION] ?? '',
        restartCount: Number(annotations[RESTART_COUNT_ANNOTATION] ?? status.metadata?.attempt ?? 0) || 0,
        annotations,
      };
    }),
  );
  return {
    uid,
    sandboxes: sandboxStatuses.sort((a, b) => b.createdAt - a.createdAt),
    containers: containerStatuses
      .filter((c): c is ContainerRuntimeStatus => c !== undefined)
      .sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount),
  };
}

/** Milliseconds with the microseconds kept: containers made within one millisecond still sort. */
function preciseMillis(nanos: bigint): number {
  return Number(nanos / 1000n) / 1000;
}

function stateOf(state: ContainerState): ContainerRunState {
  switch (state) {
    case ContainerState.CONTAINER_CREATED:
      return 'created';
    case ContainerState.CONTAINER_RUNNING:
      return 'running';
    case ContainerState.CONTAINER_EXITED:
      return 'exited';
    default:
      return 'unknown';
  }
}

/** The IPs the runtime itself reports for a sandbox (its own networking, or read back from the netns). */
export function runtimeManagedIps(response: PodSandboxStatusResponse): string[] {
  const network = response.status?.network;
  if (!network?.ip) return [];
  return [network.ip, ...network.additionalIps.map((ip) => ip.ip)];
}

/**
 * The sandbox's network namespace path from PodSandboxStatus' verbose info. Runtimes put it
 * in different places: a "netnsPath"/"netns" key, or containerd's JSON "info" with the
 * runtime spec's network namespace, or only the sandbox's pid.
 */
export function netnsPathOf(info: Record<string, string>): string | undefined {
  for (const key of ['netnsPath', 'netns', 'networkNamespace']) {
    const value = info[key];
    if (value) return unquote(value);
  }
  const blob = info.info;
  if (!blob) return undefined;
  try {
    const parsed = JSON.parse(blob) as {
      netnsPath?: string;
      pid?: number;
      runtimeSpec?: { linux?: { namespaces?: Array<{ type?: string; path?: string }> } };
    };
    if (parsed.netnsPath) return parsed.netnsPath;
    const ns = parsed.runtimeSpec?.linux?.namespaces?.find((n) => n.type === 'network');
    if (ns?.path) return ns.path;
    if (parsed.pid) return `/proc/${parsed.pid}/ns/net`;
  } catch {
    return undefined;
  }
  return undefined;
}

function unquote(value: string): string {
  if (value.startsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return parsed;
    } catch {
      return value;
    }
  }
  return value;
}

/** The newest status of the named container, as kube's FindContainerStatusByName. */
export function findContainer(status: PodRuntimeStatus, name: string): ContainerRuntimeStatus | undefined {
  return status.containers.find((c) => c.name === name);
}
