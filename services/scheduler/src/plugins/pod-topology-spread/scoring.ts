/**
 * PodTopologySpread's scoring (podtopologyspread/scoring.go) for ScheduleAnyway
 * constraints: a node scores the matching pods of its domains, each count weighted by
 * log(number of domains + 2) so that small topologies are not drowned out by big ones, plus
 * maxSkew - 1; NormalizeScore reverses it onto 0..100 (fewer matching pods is better).
 * Nodes missing a topology label score 0.
 */
import type { Pod } from '@tkube/api';
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore } from '../../framework/types.js';
import { LABEL_HOSTNAME, labelValue, nodeLabels, podNamespace } from '../api-types.js';
import type { RequiredNodeAffinity } from '../helpers/node-affinity-matcher.js';
import { countMatchingPods, nodeHasAllTopologyKeys, nodeIncluded, type SpreadConstraint } from './constraints.js';

export interface ScoreState {
  readonly constraints: readonly SpreadConstraint[];
  readonly namespace: string;
  /** Nodes without every topology label: not scored. */
  readonly ignoredNodes: ReadonlySet<string>;
  /** Per constraint: matching pods per topology value (hostname constraints are counted per node in Score). */
  readonly counts: readonly Map<string, number>[];
  readonly weights: readonly number[];
}

export function computeScoreState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  filteredNodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[],
  requiredNodeAffinity: RequiredNodeAffinity,
): ScoreState {
  const ignoredNodes = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const nodeInfo of filteredNodes) {
    const labels = nodeLabels(nodeInfo.node);
    if (!nodeHasAllTopologyKeys(labels, constraints)) {
      ignoredNodes.add(nodeInfo.name);
      continue;
    }
    for (let i = 0; i < constraints.length; i++) {
      if (constraints[i].topologyKey === LABEL_HOSTNAME) continue;
      const value = labelValue(labels, constraints[i].topologyKey) ?? '';
      if (!counts[i].has(value)) counts[i].set(value, 0);
    }
  }
  const weights = constraints.map((constraint, i) => {
    const size = constraint.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - ignoredNodes.size : counts[i].size;
    return Math.log(size + 2);
  });

  const namespace = podNamespace(pod);
  for (const nodeInfo of allNodes) {
    const labels = nodeLabels(nodeInfo.node);
    if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const constraint = constraints[i];
      if (!nodeIncluded(constraint, pod, nodeInfo.node, requiredNodeAffinity)) continue;
      const value = labelValue(labels, constraint.topologyKey) ?? '';
      const current = counts[i].get(value);
      // Only domains of candidate nodes matter; hostname domains are counted in Score.
      if (current === undefined) continue;
      counts[i].set(value, current + countMatchingPods(nodeInfo.pods, constraint.selector, namespace));
    }
  }
  return { constraints, namespace, ignoredNodes, counts, weights };
}

export function spreadScore(state: ScoreState, nodeInfo: NodeInfo): number {
  if (state.ignoredNodes.has(nodeInfo.name)) return 0;
  const labels = nodeLabels(nodeInfo.node);
  let score = 0;
  for (let i = 0; i < state.constraints.length; i++) {
    const constraint = state.constraints[i];
    const value = labelValue(labels, constraint.topologyKey);
    if (value === undefined) continue;
    const count =
      constraint.topologyKey === LABEL_HOSTNAME
        ? countMatchingPods(nodeInfo.pods, constraint.selector, state.namespace)
        : (state.counts[i].get(value) ?? 0);
    score += count * state.weights[i] + (constraint.maxSkew - 1);
  }
  return Math.round(score);
}

/** maxScore + minScore - score, scaled by maxScore: the emptiest domain gets 100; ignored nodes 0. */
export function normalizeSpreadScores(state: ScoreState, scores: NodeScore[]): void {
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (const entry of scores) {
    if (state.ignoredNodes.has(entry.name)) continue;
    if (entry.score < min) min = entry.score;
    if (entry.score > max) max = entry.score;
  }
  for (const entry of scores) {
    if (state.ignoredNodes.has(entry.name)) entry.score = 0;
    else if (max === 0) entry.score = MAX_NODE_SCORE;
    else entry.score = Math.trunc((MAX_NODE_SCORE * (max + min - entry.score)) / max);
  }
}
