/**
 * The parts of Pod and Node specs the plugins read, named as Kubernetes names them.
 * `@tkube/api` exports whole objects; these are their nested types, taken from there so
 * that the two can never drift apart.
 */
import type { Node, Pod, PodSpec } from '@tkube/api';

type Item<T> = NonNullable<T> extends readonly (infer U)[] ? U : never;

export type Container = Item<PodSpec['containers']>;
export type ContainerPort = Item<Container['ports']>;
export type Toleration = Item<PodSpec['tolerations']>;
export type Taint = Item<NonNullable<Node['spec']>['taints']>;
export type Affinity = NonNullable<PodSpec['affinity']>;
export type NodeSelector = NonNullable<
  NonNullable<Affinity['nodeAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']
>;
export type NodeSelectorTerm = Item<NodeSelector['nodeSelectorTerms']>;
export type NodeSelectorRequirement = Item<NodeSelectorTerm['matchExpressions']>;
export type PreferredSchedulingTerm = Item<
  NonNullable<Affinity['nodeAffinity']>['preferredDuringSchedulingIgnoredDuringExecution']
>;
export type PodAffinityTerm = Item<
  NonNullable<Affinity['podAffinity']>['requiredDuringSchedulingIgnoredDuringExecution']
>;
export type WeightedPodAffinityTerm = Item<
  NonNullable<Affinity['podAffinity']>['preferredDuringSchedulingIgnoredDuringExecution']
>;
export type TopologySpreadConstraint = Item<PodSpec['topologySpreadConstraints']>;

export type Labels = Readonly<Record<string, string>>;

/** Shared by every "no labels" lookup so that reading them allocates nothing. */
export const NO_LABELS: Labels = Object.freeze({});

/** A label's value; never a member of Object.prototype ("constructor" is a valid label key). */
export function labelValue(labels: Labels, key: string): string | undefined {
  const value = labels[key];
  return typeof value === 'string' ? value : undefined;
}

export function nodeLabels(node: Node): Labels {
  return node.metadata?.labels ?? NO_LABELS;
}

export function podLabels(pod: Pod): Labels {
  return pod.metadata?.labels ?? NO_LABELS;
}

export function podNamespace(pod: Pod): string {
  return pod.metadata?.namespace ?? 'default';
}

/** The well-known label of a node's name, the usual topology key of "one per node". */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
