/**
 * NodeInfos and Snapshots for plugin tests, built the way the scheduler cache keeps them:
 * sums of the pods' requests, their host ports, and which pods have affinity terms.
 */
import type { Node, Pod } from '@tkube/api';
import { CycleState, type NodeInfo, type PodInfo, type Resources, type Snapshot } from '../../framework/types.js';
import { emptyResources, resourcesOf } from '../../resources.js';
import { podInfoOf } from '../pod-info.js';

function add(into: Resources, amount: Resources): void {
  into.milliCpu += amount.milliCpu;
  into.memory += amount.memory;
  into.ephemeralStorage += amount.ephemeralStorage;
  for (const [name, value] of Object.entries(amount.scalar)) into.scalar[name] = (into.scalar[name] ?? 0) + value;
}

/** A pod with at least one pod (anti-)affinity term, required or preferred. */
export function hasAffinityTerms(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  const lists = [
    affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
    affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
  ];
  return lists.some((list) => (list?.length ?? 0) > 0);
}

export function nodeInfoOf(node: Node, pods: readonly (Pod | PodInfo)[] = []): NodeInfo {
  const infos = pods.map((pod) => ('requests' in pod ? pod : podInfoOf(pod)));
  const requested = emptyResources();
  const nonZeroRequested = emptyResources();
  for (const info of infos) {
    add(requested, info.requests);
    add(nonZeroRequested, info.nonZeroRequests);
  }
  requested.pods = infos.length;
  nonZeroRequested.pods = infos.length;
  return {
    name: node.metadata?.name ?? '',
    node,
    allocatable: resourcesOf(node.status?.allocatable),
    requested,
    nonZeroRequested,
    pods: infos,
    podsWithAffinity: infos.filter((info) => hasAffinityTerms(info.pod)),
    usedPorts: infos.flatMap((info) => info.hostPorts),
    generation: 1,
  };
}

/** NodeInfos of `nodes` holding the `pods` bound to them by spec.nodeName. */
export function nodeInfosOf(nodes: readonly Node[], pods: readonly Pod[] = []): NodeInfo[] {
  return nodes.map((node) =>
    nodeInfoOf(
      node,
      pods.filter((pod) => pod.spec?.nodeName === node.metadata?.name),
    ),
  );
}

export function snapshotOf(nodeInfos: readonly NodeInfo[]): Snapshot {
  const byName = new Map(nodeInfos.map((info) => [info.name, info]));
  const withAffinity = nodeInfos.filter((info) => info.podsWithAffinity.length > 0);
  return {
    nodes: () => nodeInfos,
    get: (name) => byName.get(name),
    nodesWithAffinityPods: () => withAffinity,
  };
}

export function newCycleState(): CycleState {
  return new CycleState();
}
