/**
 * The resource arithmetic of noderesources' resourceAllocationScorer, shared by
 * NodeResourcesFit (LeastAllocated, MostAllocated) and NodeResourcesBalancedAllocation:
 * what a node has, what is requested on it, and the per-resource scores, all in integer
 * arithmetic like kube's int64.
 */
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo, type Resources } from '../../framework/types.js';
import { isScalarResourceName } from '../../resources.js';

export interface ResourceSpec {
  readonly name: string;
  readonly weight: number;
}

/** cpu and memory, weight 1 each: the default of both scoring plugins. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = Object.freeze([
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
]);

export function amountOf(resources: Resources, name: string): number {
  switch (name) {
    case 'cpu':
      return resources.milliCpu;
    case 'memory':
      return resources.memory;
    case 'ephemeral-storage':
      return resources.ephemeralStorage;
    case 'pods':
      return resources.pods;
    default:
      return resources.scalar[name] ?? 0;
  }
}

/**
 * What a scoring plugin counts as the pod's request of each resource: with kube's non-zero
 * defaults (LeastAllocated, MostAllocated) or the plain requests (BalancedAllocation).
 */
export function podRequestList(pod: PodInfo, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const requests = useRequested ? pod.requests : pod.nonZeroRequests;
  return resources.map((resource) => amountOf(requests, resource.name));
}

/**
 * The node's allocatable amount of a resource, or 0 when it must be left out of the score:
 * an extended resource the pod does not request is not scored.
 */
export function scoredAllocatable(node: NodeInfo, name: string, podRequest: number): number {
  if (podRequest === 0 && isScalarResourceName(name)) return 0;
  return amountOf(node.allocatable, name);
}

/** Requested on the node plus the pod; cpu and memory use the non-zero sums unless `useRequested`. */
export function requestedWith(node: NodeInfo, name: string, podRequest: number, useRequested: boolean): number {
  const onNode = !useRequested && (name === 'cpu' || name === 'memory') ? node.nonZeroRequested : node.requested;
  return amountOf(onNode, name) + podRequest;
}

/** The unused share of a resource on a 0..100 scale; more room scores higher. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** The used share of a resource on a 0..100 scale; fuller nodes score higher. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * MAX_NODE_SCORE) / capacity);
}

/**
 * (1 - standard deviation of the used fractions) * 100: nodes whose resources are used
 * evenly score higher. Two fractions use |a - b| / 2 exactly as kube does.
 */
export function balancedScore(fractions: Float64Array, count: number): number {
  let std = 0;
  if (count === 2) {
    std = Math.abs((fractions[0] - fractions[1]) / 2);
  } else if (count > 2) {
    let total = 0;
    for (let i = 0; i < count; i++) total += fractions[i];
    const mean = total / count;
    let sum = 0;
    for (let i = 0; i < count; i++) sum += (fractions[i] - mean) * (fractions[i] - mean);
    std = Math.sqrt(sum / count);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
