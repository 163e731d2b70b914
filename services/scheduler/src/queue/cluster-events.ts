/**
 * Cluster events that can make an unschedulable pod schedulable, and which plugins' refusals
 * each can lift (kube's EventsToRegister and ClusterEvent, reduced to what tkube's plugins
 * care about). A pod that failed only on NodeAffinity is not woken by a pod being deleted;
 * a new node wakes every pod.
 */
import type { Node, Pod } from '@tkube/api';

export interface ClusterEvent {
  /** For logs: "NodeAdd", "AssignedPodDelete". */
  label: string;
  /** The plugins whose refusals this event may lift; 'all' for any. */
  plugins: ReadonlySet<string> | 'all';
}

const set = (...names: string[]): ReadonlySet<string> => new Set(names);

export const NODE_ADD: ClusterEvent = { label: 'NodeAdd', plugins: 'all' };
export const ASSIGNED_POD_DELETE: ClusterEvent = {
  label: 'AssignedPodDelete',
  plugins: set('NodeResourcesFit', 'NodePorts', 'InterPodAffinity', 'PodTopologySpread'),
};
export const ASSIGNED_POD_ADD: ClusterEvent = {
  label: 'AssignedPodAdd',
  plugins: set('InterPodAffinity', 'PodTopologySpread'),
};
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { label: 'UnschedulableTimeout', plugins: 'all' };

/** What changed in a Node that a refusal may depend on; undefined when nothing did (a heartbeat). */
export function nodeUpdateEvent(oldNode: Node, newNode: Node): ClusterEvent | undefined {
  const plugins = new Set<string>();
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(oldNode.status?.allocatable, newNode.status?.allocatable)) {
    plugins.add('NodeResourcesFit');
    plugins.add('NodeResourcesBalancedAllocation');
  }
  if (!same(oldNode.metadata?.labels, newNode.metadata?.labels)) {
    for (const p of ['NodeAffinity', 'PodTopologySpread', 'InterPodAffinity', 'NodePorts']) plugins.add(p);
  }
  if (!same(oldNode.spec?.taints, newNode.spec?.taints)) plugins.add('TaintToleration');
  if ((oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)) {
    plugins.add('NodeUnschedulable');
  }
  if (plugins.size === 0) return undefined;
  return { label: 'NodeUpdate', plugins };
}

/** A bound pod changed: its labels matter to affinity and spreading, its requests to fit. */
export function assignedPodUpdateEvent(oldPod: Pod, newPod: Pod): ClusterEvent | undefined {
  const plugins = new Set<string>();
  if (JSON.stringify(oldPod.metadata?.labels ?? {}) !== JSON.stringify(newPod.metadata?.labels ?? {})) {
    plugins.add('InterPodAffinity');
    plugins.add('PodTopologySpread');
  }
  const phase = newPod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') {
    // A terminated pod frees what it held, as a deleted one does.
    for (const p of ASSIGNED_POD_DELETE.plugins === 'all' ? [] : ASSIGNED_POD_DELETE.plugins) plugins.add(p);
  }
  if (plugins.size === 0) return undefined;
  return { label: 'AssignedPodUpdate', plugins };
}

/** True when `event` may help a pod refused by `plugins` (an empty set: failed with an error, so any event). */
export function mayHelp(event: ClusterEvent, plugins: ReadonlySet<string>): boolean {
  if (event.plugins === 'all' || plugins.size === 0) return true;
  for (const plugin of plugins) if (event.plugins.has(plugin)) return true;
  return false;
}
