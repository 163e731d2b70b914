/**
 * Per-node results that only change when the node's pods change, kept across scheduling
 * cycles and checked against NodeInfo.generation: the terms of the pods on a node, and how
 * many of its pods a (shared, interned) term selects. With them, PreFilter walks nodes
 * instead of every pod in the cluster once the cluster settles, and only nodes that changed
 * since the last cycle are counted again.
 *
 * Entries are keyed by the NodeInfo object (weakly) and its generation, so a node that is
 * replaced or changed is simply counted afresh.
 */
import type { NodeInfo } from '../../framework/types.js';
import { type AffinityTerm, affinityTermsOf, type NamespaceLabels, podMatchesAllTerms } from './affinity-terms.js';

/** A required anti-affinity term and how many pods on the node carry it. */
export interface CountedTerm {
  readonly term: AffinityTerm;
  readonly count: number;
}

interface AntiTermsEntry {
  generation: number;
  terms: CountedTerm[];
}

const antiTermsByNode = new WeakMap<NodeInfo, AntiTermsEntry>();

/** The required anti-affinity terms of the pods on the node, each with its number of pods. */
export function requiredAntiAffinityOnNode(nodeInfo: NodeInfo): readonly CountedTerm[] {
  const cached = antiTermsByNode.get(nodeInfo);
  if (cached && cached.generation === nodeInfo.generation) return cached.terms;
  const counts = new Map<AffinityTerm, number>();
  for (const existing of nodeInfo.podsWithAffinity) {
    for (const term of affinityTermsOf(existing.pod).requiredAntiAffinity)
      counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  const terms = [...counts].map(([term, count]) => ({ term, count }));
  antiTermsByNode.set(nodeInfo, { generation: nodeInfo.generation, terms });
  return terms;
}

interface CountEntry {
  generation: number;
  count: number;
}

const matchingByTerms = new WeakMap<object, WeakMap<NodeInfo, CountEntry>>();

/**
 * How many pods on the node match all of `terms` (one term: that term). Cached only when
 * the answer cannot change without the node changing: terms that read no namespace labels.
 */
export function podsMatchingAllTerms(
  terms: readonly AffinityTerm[],
  nodeInfo: NodeInfo,
  namespaceLabels: NamespaceLabels,
): number {
  const cacheable = terms.every((term) => !term.readsNamespaceLabels);
  if (cacheable) {
    const cached = matchingByTerms.get(terms)?.get(nodeInfo);
    if (cached && cached.generation === nodeInfo.generation) return cached.count;
  }
  let count = 0;
  const pods = nodeInfo.pods;
  for (let i = 0; i < pods.length; i++) if (podMatchesAllTerms(terms, pods[i].pod, namespaceLabels)) count++;
  if (cacheable) {
    let byNode = matchingByTerms.get(terms);
    if (!byNode) {
      byNode = new WeakMap();
      matchingByTerms.set(terms, byNode);
    }
    byNode.set(nodeInfo, { generation: nodeInfo.generation, count });
  }
  return count;
}
