/**
 * One node as the cache keeps it: the Node object and the pods placed on it (bound or
 * assumed), with their request sums kept incrementally, so adding or removing a pod costs
 * a few additions. The immutable NodeInfo plugins read is built from it at most once per
 * change (when a snapshot takes it), never per pod per cycle.
 */
import type { Node, Pod } from '@tkube/api';
import type { HostPort, NodeInfo, PodInfo, Resources } from '../framework/types.js';
import { addResources, copyResources, emptyResources, resourcesOf } from '../resources.js';

export class NodeState {
  /** Undefined while pods name a node the cache has not seen (or no longer has). */
  node: Node | undefined;
  private allocatable: Resources = emptyResources();
  private readonly requested: Resources = emptyResources();
  private readonly nonZeroRequested: Resources = emptyResources();
  private readonly pods = new Map<string, PodInfo>();
  private generation = 0;
  private built: NodeInfo | undefined;

  constructor(readonly name: string) {}

  get podCount(): number {
    return this.pods.size;
  }

  setNode(node: Node | undefined, generation: number): void {
    this.node = node;
    this.allocatable = resourcesOf(node?.status?.allocatable ?? node?.status?.capacity);
    this.changed(generation);
  }

  addPod(key: string, pod: PodInfo, generation: number): void {
    const previous = this.pods.get(key);
    if (previous) this.subtract(previous);
    this.pods.set(key, pod);
    addResources(this.requested, pod.requests, 1);
    addResources(this.nonZeroRequested, pod.nonZeroRequests, 1);
    this.requested.pods = this.pods.size;
    this.nonZeroRequested.pods = this.pods.size;
    this.changed(generation);
  }

  /** False when the pod was not on this node. */
  removePod(key: string, generation: number): boolean {
    const pod = this.pods.get(key);
    if (!pod) return false;
    this.pods.delete(key);
    this.subtract(pod);
    this.requested.pods = this.pods.size;
    this.nonZeroRequested.pods = this.pods.size;
    this.changed(generation);
    return true;
  }

  /** The plugins' view; the same object until the next change. Undefined without a Node. */
  info(): NodeInfo | undefined {
    const node = this.node;
    if (!node) return undefined;
    if (this.built) return this.built;
    const pods = [...this.pods.values()];
    const usedPorts: HostPort[] = [];
    for (const pod of pods) usedPorts.push(...pod.hostPorts);
    // Fresh copies of the sums, made next to the NodeInfo: Filter reads them for hundreds of
    // nodes per pod, and objects allocated together sit together in memory (fewer cache misses).
    this.built = Object.freeze({
      name: this.name,
      node,
      allocatable: copyResources(this.allocatable),
      requested: copyResources(this.requested),
      nonZeroRequested: copyResources(this.nonZeroRequested),
      pods,
      podsWithAffinity: pods.filter((p) => hasPodAffinityTerms(p.pod)),
      usedPorts,
      generation: this.generation,
    });
    return this.built;
  }

  private subtract(pod: PodInfo): void {
    addResources(this.requested, pod.requests, -1);
    addResources(this.nonZeroRequested, pod.nonZeroRequests, -1);
  }

  private changed(generation: number): void {
    this.generation = generation;
    this.built = undefined;
  }
}

/** A pod with pod affinity or anti-affinity terms (required or preferred): InterPodAffinity must look at it. */
export function hasPodAffinityTerms(pod: Pod): boolean {
  const affinity = pod.spec?.affinity;
  if (!affinity) return false;
  const some = (list: readonly unknown[] | undefined) => (list?.length ?? 0) > 0;
  const a = affinity.podAffinity;
  const anti = affinity.podAntiAffinity;
  return (
    some(a?.requiredDuringSchedulingIgnoredDuringExecution) ||
    some(a?.preferredDuringSchedulingIgnoredDuringExecution) ||
    some(anti?.requiredDuringSchedulingIgnoredDuringExecution) ||
    some(anti?.preferredDuringSchedulingIgnoredDuringExecution)
  );
}
