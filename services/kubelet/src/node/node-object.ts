/**
 * The Node the kubelet registers and the status it posts (kube's nodestatus setters):
 * labels, podCIDR(s), capacity and allocatable, addresses, the kubelet endpoint, nodeInfo
 * and the four conditions with kube's reasons. lastTransitionTime moves only when a
 * condition's status changes; lastHeartbeatTime on every post.
 */
import type { Node } from '@tkube/api';
import type { HostInfo } from './host-info.js';

export const KUBELET_VERSION = 'v1.35.0-tkube';

export interface NodeFacts {
  nodeName: string;
  nodeIp: string;
  podCidr?: string;
  kubeletPort: number;
  maxPods: number;
  host: HostInfo;
  /** "docker://20.10.24" from the runtime's Version. */
  containerRuntimeVersion: string;
}

export interface Readiness {
  ready: boolean;
  /** Why not ("container runtime network not ready: ..."). */
  message?: string;
}

export type NodeStatus = NonNullable<Node['status']>;
type NodeCondition = NonNullable<NodeStatus['conditions']>[number];

export function nodeObject(facts: NodeFacts): Node {
  const { host } = facts;
  const node: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: facts.nodeName,
      labels: {
        'kubernetes.io/hostname': facts.nodeName,
        'kubernetes.io/os': host.operatingSystem,
        'kubernetes.io/arch': host.architecture,
        'beta.kubernetes.io/os': host.operatingSystem,
        'beta.kubernetes.io/arch': host.architecture,
      },
    },
    spec: {},
  };
  if (facts.podCidr && node.spec) {
    node.spec.podCIDR = facts.podCidr;
    node.spec.podCIDRs = [facts.podCidr];
  }
  return node;
}

export function nodeStatus(
  facts: NodeFacts,
  readiness: Readiness,
  previous: NodeStatus | undefined,
  now: string,
): NodeStatus {
  const { host } = facts;
  const resources = {
    cpu: String(host.cpuCores),
    memory: `${host.memoryKi}Ki`,
    pods: String(facts.maxPods),
    'ephemeral-storage': `${host.ephemeralStorageKi}Ki`,
    'hugepages-2Mi': '0',
  };
  const conditions: NodeCondition[] = [
    condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    readiness.ready
      ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
      : condition('Ready', 'False', 'KubeletNotReady', readiness.message ?? 'kubelet is not ready'),
  ];
  for (const c of conditions) {
    const old = previous?.conditions?.find((o) => o.type === c.type);
    c.lastHeartbeatTime = now;
    c.lastTransitionTime = old && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  }
  return {
    capacity: resources,
    allocatable: { ...resources },
    conditions,
    addresses: [
      { type: 'InternalIP', address: facts.nodeIp },
      { type: 'Hostname', address: facts.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort } },
    nodeInfo: {
      machineID: host.machineID,
      systemUUID: host.systemUUID,
      bootID: host.bootID,
      kernelVersion: host.kernelVersion,
      osImage: host.osImage,
      containerRuntimeVersion: facts.containerRuntimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: '',
      operatingSystem: host.operatingSystem,
      architecture: host.architecture,
    },
    ...(previous?.images ? { images: previous.images } : {}),
  };
}

function condition(type: string, status: string, reason: string, message: string): NodeCondition {
  return { type, status, reason, message };
}

/** Whether two statuses differ in more than heartbeats (kube posts those only every few minutes). */
export function statusChanged(a: NodeStatus | undefined, b: NodeStatus): boolean {
  if (!a) return true;
  const strip = (s: NodeStatus) =>
    JSON.stringify({ ...s, conditions: (s.conditions ?? []).map(({ lastHeartbeatTime: _h, ...rest }) => rest) });
  return strip(a) !== strip(b);
}
