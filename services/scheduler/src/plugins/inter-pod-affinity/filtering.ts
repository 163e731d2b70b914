/**
 * InterPodAffinity's filtering (interpodaffinity/filtering.go). PreFilter walks the cluster
 * once per pod and counts, per topology pair:
 *  - existing pods whose required anti-affinity selects the incoming pod (symmetry),
 *  - existing pods that match all of the incoming pod's required affinity terms,
 *  - existing pods that match one of its required anti-affinity terms;
 * so Filter is a few map lookups per node.
 */
import type { Pod } from '@tkube/api';
import type { NodeInfo, Snapshot } from '../../framework/types.js';
import { type Labels, labelValue, nodeLabels } from '../api-types.js';
import { type AffinityTerm, type NamespaceLabels, podMatchesAllTerms, TermMatchMemo } from './affinity-terms.js';
import { podsMatchingAllTerms, requiredAntiAffinityOnNode } from './node-cache.js';
import { TopologyCounts } from './topology-counts.js';

export const REASON_AFFINITY_RULES = "node(s) didn't match pod affinity rules";
export const REASON_ANTI_AFFINITY_RULES = "node(s) didn't match pod anti-affinity rules";
export const REASON_EXISTING_ANTI_AFFINITY_RULES = "node(s) didn't satisfy existing pods anti-affinity rules";

export interface FilterState {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly affinityCounts: TopologyCounts;
  readonly antiAffinityCounts: TopologyCounts;
  readonly existingAntiAffinityCounts: TopologyCounts;
  /** The pod matches its own affinity terms: the first of a group that wants to be together may go anywhere. */
  readonly matchesOwnAffinity: boolean;
}

export function computeFilterState(
  pod: Pod,
  requiredAffinity: readonly AffinityTerm[],
  requiredAntiAffinity: readonly AffinityTerm[],
  snapshot: Snapshot,
  namespaceLabels: NamespaceLabels,
): FilterState {
  const existingAntiAffinityCounts = new TopologyCounts();
  const selectsIncoming = new TermMatchMemo(pod, namespaceLabels);
  for (const nodeInfo of snapshot.nodesWithAffinityPods()) {
    const labels = nodeLabels(nodeInfo.node);
    const terms = requiredAntiAffinityOnNode(nodeInfo);
    for (let i = 0; i < terms.length; i++) {
      const { term, count } = terms[i];
      if (selectsIncoming.matches(term)) existingAntiAffinityCounts.addForNode(labels, term.topologyKey, count);
    }
  }

  const affinityCounts = new TopologyCounts();
  const antiAffinityCounts = new TopologyCounts();
  if (requiredAffinity.length > 0 || requiredAntiAffinity.length > 0) {
    for (const nodeInfo of snapshot.nodes()) {
      countIncomingTerms(
        nodeInfo,
        requiredAffinity,
        requiredAntiAffinity,
        affinityCounts,
        antiAffinityCounts,
        namespaceLabels,
      );
    }
  }

  return {
    requiredAffinity,
    requiredAntiAffinity,
    affinityCounts,
    antiAffinityCounts,
    existingAntiAffinityCounts,
    matchesOwnAffinity: podMatchesAllTerms(requiredAffinity, pod, namespaceLabels),
  };
}

function countIncomingTerms(
  nodeInfo: NodeInfo,
  affinity: readonly AffinityTerm[],
  anti: readonly AffinityTerm[],
  affinityCounts: TopologyCounts,
  antiAffinityCounts: TopologyCounts,
  namespaceLabels: NamespaceLabels,
): void {
  if (nodeInfo.pods.length === 0) return;
  const labels = nodeLabels(nodeInfo.node);
  if (affinity.length > 0) {
    const matching = podsMatchingAllTerms(affinity, nodeInfo, namespaceLabels);
    if (matching > 0) {
      for (let i = 0; i < affinity.length; i++) affinityCounts.addForNode(labels, affinity[i].topologyKey, matching);
    }
  }
  for (let i = 0; i < anti.length; i++) {
    const matching = podsMatchingAllTerms(anti[i].alone, nodeInfo, namespaceLabels);
    if (matching > 0) antiAffinityCounts.addForNode(labels, anti[i].topologyKey, matching);
  }
}

/** Every affinity topology exists on the node and holds a matching pod (or the pod may start the group). */
export function satisfiesPodAffinity(state: FilterState, labels: Labels): boolean {
  let podsExist = true;
  const terms = state.requiredAffinity;
  for (let i = 0; i < terms.length; i++) {
    const count = state.affinityCounts.forNode(labels, terms[i].topologyKey);
    if (count === undefined) return false;
    if (count <= 0) podsExist = false;
  }
  return podsExist || (state.affinityCounts.isEmpty && state.matchesOwnAffinity);
}

/** No pod the incoming pod's anti-affinity selects shares a topology with the node. */
export function satisfiesPodAntiAffinity(state: FilterState, labels: Labels): boolean {
  if (state.antiAffinityCounts.isEmpty) return true;
  const terms = state.requiredAntiAffinity;
  for (let i = 0; i < terms.length; i++) {
    const count = state.antiAffinityCounts.forNode(labels, terms[i].topologyKey);
    if (count !== undefined && count > 0) return false;
  }
  return true;
}

/** No existing pod whose anti-affinity selects the incoming pod shares a topology with the node. */
export function satisfiesExistingPodsAntiAffinity(state: FilterState, labels: Labels): boolean {
  const counts = state.existingAntiAffinityCounts;
  if (counts.isEmpty) return true;
  for (let i = 0; i < counts.keys.length; i++) {
    const value = labelValue(labels, counts.keys[i]);
    if (value !== undefined && (counts.valuesByKey[i].get(value) ?? 0) > 0) return false;
  }
  return true;
}
