/**
 * InterPodAffinity's scoring (interpodaffinity/scoring.go): every existing pod adds, to the
 * topology pair of its node, the weights of the incoming pod's preferred terms it matches
 * (anti-affinity subtracts), and the weights of its own terms that select the incoming pod
 * (its required affinity at hardPodAffinityWeight). A node scores the sum of its pairs;
 * NormalizeScore maps the range of scores onto 0..100.
 */
import type { Pod } from '@tkube/api';
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore, type PodInfo } from '../../framework/types.js';
import { type Labels, NO_LABELS, nodeLabels } from '../api-types.js';
import {
  type AffinityTerm,
  affinityTermsOf,
  type NamespaceLabels,
  type PodAffinityTerms,
  TermMatchMemo,
} from './affinity-terms.js';
import { TopologyCounts } from './topology-counts.js';

export interface ScoringOptions {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

/** The incoming pod's terms against an existing pod. */
function addMatching(
  scores: TopologyCounts,
  terms: readonly AffinityTerm[],
  pod: Pod,
  labels: Labels,
  sign: 1 | -1,
  namespaceLabels: NamespaceLabels,
): void {
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    if (term.matches(pod, namespaceLabels)) scores.addForNode(labels, term.topologyKey, sign * term.weight);
  }
}

/** An existing pod's terms against the incoming pod (memoized: placed pods share terms). */
function addSelectingIncoming(
  scores: TopologyCounts,
  terms: readonly AffinityTerm[],
  selectsIncoming: TermMatchMemo,
  labels: Labels,
  sign: 1 | -1,
  weight?: number,
): void {
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    if (selectsIncoming.matches(term)) scores.addForNode(labels, term.topologyKey, sign * (weight ?? term.weight));
  }
}

/** Topology scores from the pods on `nodes`; undefined when nothing scores (PreScore then skips). */
export function computeTopologyScores(
  pod: Pod,
  incoming: PodAffinityTerms,
  nodes: readonly NodeInfo[],
  options: ScoringOptions,
  namespaceLabels: NamespaceLabels,
): TopologyCounts | undefined {
  const hasPreferred = incoming.preferredAffinity.length > 0 || incoming.preferredAntiAffinity.length > 0;
  const scores = new TopologyCounts();
  const selectsIncoming = new TermMatchMemo(pod, namespaceLabels);
  for (const nodeInfo of nodes) {
    const labels = nodeLabels(nodeInfo.node);
    if (labels === NO_LABELS) continue;
    // Without preferred terms of its own, only pods with terms can move the incoming pod's score.
    const pods: readonly PodInfo[] = hasPreferred ? nodeInfo.pods : nodeInfo.podsWithAffinity;
    for (const existingInfo of pods) {
      const existing = existingInfo.pod;
      addMatching(scores, incoming.preferredAffinity, existing, labels, 1, namespaceLabels);
      addMatching(scores, incoming.preferredAntiAffinity, existing, labels, -1, namespaceLabels);
      const terms = affinityTermsOf(existing);
      if (options.hardPodAffinityWeight > 0) {
        addSelectingIncoming(scores, terms.requiredAffinity, selectsIncoming, labels, 1, options.hardPodAffinityWeight);
      }
      addSelectingIncoming(scores, terms.preferredAffinity, selectsIncoming, labels, 1);
      addSelectingIncoming(scores, terms.preferredAntiAffinity, selectsIncoming, labels, -1);
    }
  }
  return scores.keys.length === 0 ? undefined : scores;
}

export function topologyScoreOf(scores: TopologyCounts, labels: Labels): number {
  let total = 0;
  for (let i = 0; i < scores.keys.length; i++) total += scores.forNode(labels, scores.keys[i]) ?? 0;
  return total;
}

/** (score - min) / (max - min) * 100, truncated; all 0 when every node scores the same. */
export function normalizeMinMax(scores: NodeScore[]): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const entry of scores) {
    if (entry.score > max) max = entry.score;
    if (entry.score < min) min = entry.score;
  }
  const range = max - min;
  for (const entry of scores) {
    entry.score = range > 0 ? Math.trunc(MAX_NODE_SCORE * ((entry.score - min) / range)) : 0;
  }
}
