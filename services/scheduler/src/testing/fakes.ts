/**
 * Small stand-ins for tests of the cache, queue and runner: pods and nodes by builder, a
 * podInfoOf that reads cpu and memory requests, and three tiny plugins (a cpu fit filter,
 * a NoSchedule taint filter and a least-allocated score), so these tests do not depend on
 * the real plugins.
 */
import type { Node, Pod } from '@tkube/api';
import type { FilterPlugin, NodeInfo, PluginStatus, PodInfo, Resources, ScorePlugin } from '../framework/types.js';
import { SUCCESS, unschedulable } from '../framework/types.js';
import { resourcesOf } from '../resources.js';

let uid = 0;

export function makePod(
  name: string,
  options: {
    cpu?: string;
    memory?: string;
    nodeName?: string;
    priority?: number;
    namespace?: string;
    uid?: string;
  } = {},
): Pod {
  const requests: Record<string, string> = {};
  if (options.cpu) requests.cpu = options.cpu;
  if (options.memory) requests.memory = options.memory;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', uid: options.uid ?? `uid-${name}-${uid++}` },
    spec: {
      containers: [{ name: 'c', image: 'busybox', resources: { requests } }],
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
    },
  };
}

export function makeNode(
  name: string,
  options: {
    cpu?: string;
    memory?: string;
    pods?: string;
    zone?: string;
    taints?: Array<{ key: string; value?: string; effect: string }>;
  } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        ...(options.zone ? { 'topology.kubernetes.io/zone': options.zone } : {}),
      },
    },
    spec: options.taints ? { taints: options.taints } : {},
    status: { allocatable: { cpu: options.cpu ?? '4', memory: options.memory ?? '16Gi', pods: options.pods ?? '110' } },
  };
}

function requestsOf(pod: Pod): Resources {
  const total = resourcesOf(undefined);
  for (const container of pod.spec?.containers ?? []) {
    const r = resourcesOf(container.resources?.requests as Record<string, string> | undefined);
    total.milliCpu += r.milliCpu;
    total.memory += r.memory;
  }
  return total;
}

export function fakePodInfoOf(pod: Pod): PodInfo {
  const requests = requestsOf(pod);
  return { pod, requests, nonZeroRequests: requests, hostPorts: [] };
}

/** Refuses nodes without room for the pod's cpu: "Insufficient cpu", as NodeResourcesFit. */
export const fitsCpu: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(_state, pod, node): PluginStatus {
    if (node.requested.milliCpu + pod.requests.milliCpu > node.allocatable.milliCpu)
      return unschedulable('Insufficient cpu');
    if (node.pods.length + 1 > node.allocatable.pods) return unschedulable('Too many pods');
    return SUCCESS;
  },
};

/** Refuses nodes with any NoSchedule taint, worded as TaintToleration. */
export const noTaints: FilterPlugin = {
  name: 'TaintToleration',
  filter(_state, _pod, node): PluginStatus {
    const taint = node.node.spec?.taints?.find((t) => t.effect === 'NoSchedule');
    if (!taint) return SUCCESS;
    return {
      code: 'UnschedulableAndUnresolvable',
      reasons: [`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`],
    };
  },
};

/** More free cpu scores higher (0..100). */
export const leastAllocatedCpu: ScorePlugin = {
  name: 'NodeResourcesFit',
  score(_state, pod, node: NodeInfo): number {
    const free = node.allocatable.milliCpu - node.requested.milliCpu - pod.requests.milliCpu;
    return node.allocatable.milliCpu === 0 ? 0 : Math.floor((100 * Math.max(0, free)) / node.allocatable.milliCpu);
  },
};
