/**
 * InterPodAffinity (kube-scheduler interpodaffinity): required pod affinity and
 * anti-affinity by topology key, including the anti-affinity of pods already placed
 * against the incoming pod; preferred terms (and the existing pods' terms) score nodes.
 */
import { isStatusError } from '@tkube/api';
import {
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginStatus,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  SUCCESS,
  unresolvable,
  unschedulable,
} from '../../framework/types.js';
import { nodeLabels } from '../api-types.js';
import { missingState, SKIP } from '../helpers/status.js';
import {
  defaultNamespaceLabels,
  type NamespaceLabels,
  type PodAffinityTerms,
  parseAffinityTerms,
} from './affinity-terms.js';
import {
  computeFilterState,
  type FilterState,
  REASON_AFFINITY_RULES,
  REASON_ANTI_AFFINITY_RULES,
  REASON_EXISTING_ANTI_AFFINITY_RULES,
  satisfiesExistingPodsAntiAffinity,
  satisfiesPodAffinity,
  satisfiesPodAntiAffinity,
} from './filtering.js';
import { computeTopologyScores, normalizeMinMax, type ScoringOptions, topologyScoreOf } from './scoring.js';
import type { TopologyCounts } from './topology-counts.js';

export const INTER_POD_AFFINITY = 'InterPodAffinity';

const PRE_FILTER_KEY = `PreFilter${INTER_POD_AFFINITY}`;
const PRE_SCORE_KEY = `PreScore${INTER_POD_AFFINITY}`;

export interface InterPodAffinityOptions {
  /** Score given for an existing pod's required affinity term that selects the incoming pod (kube: 1). */
  hardPodAffinityWeight?: number;
  /** Score only by the incoming pod's preferred terms (kube: false). */
  ignorePreferredTermsOfExistingPods?: boolean;
  /** Namespace labels for namespaceSelector; by default a namespace has only its name label. */
  namespaceLabels?: NamespaceLabels;
}

interface PreFilterState {
  /** The cycle's snapshot: PreScore needs every node, not only the filtered ones. */
  snapshot: Snapshot;
  terms: PodAffinityTerms;
  /** Undefined when the pod has no required terms and no placed pod's anti-affinity selects it. */
  filter: FilterState | undefined;
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = INTER_POD_AFFINITY;
  private readonly scoring: ScoringOptions;
  private readonly namespaceLabels: NamespaceLabels;

  constructor(options: InterPodAffinityOptions = {}) {
    this.scoring = {
      hardPodAffinityWeight: options.hardPodAffinityWeight ?? 1,
      ignorePreferredTermsOfExistingPods: options.ignorePreferredTermsOfExistingPods ?? false,
    };
    this.namespaceLabels = options.namespaceLabels ?? defaultNamespaceLabels;
  }

  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): PluginStatus {
    let terms: PodAffinityTerms;
    try {
      terms = parseAffinityTerms(pod.pod);
    } catch (err) {
      if (!isStatusError(err)) throw err;
      return unresolvable(`parsing pod: ${err.message}`);
    }
    const filter = computeFilterState(
      pod.pod,
      terms.requiredAffinity,
      terms.requiredAntiAffinity,
      snapshot,
      this.namespaceLabels,
    );
    const nothingToCheck =
      filter.existingAntiAffinityCounts.isEmpty &&
      terms.requiredAffinity.length === 0 &&
      terms.requiredAntiAffinity.length === 0;
    state.write(PRE_FILTER_KEY, {
      snapshot,
      terms,
      filter: nothingToCheck ? undefined : filter,
    } satisfies PreFilterState);
    return nothingToCheck ? SKIP : SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): PluginStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return missingState(PRE_FILTER_KEY);
    const filter = s.filter;
    if (!filter) return SUCCESS;
    const labels = nodeLabels(node.node);
    if (!satisfiesPodAffinity(filter, labels)) return unresolvable(REASON_AFFINITY_RULES);
    if (!satisfiesPodAntiAffinity(filter, labels)) return unschedulable(REASON_ANTI_AFFINITY_RULES);
    if (!satisfiesExistingPodsAntiAffinity(filter, labels)) return unschedulable(REASON_EXISTING_ANTI_AFFINITY_RULES);
    return SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PluginStatus {
    if (nodes.length === 0) return SKIP;
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    let terms: PodAffinityTerms;
    try {
      terms = s?.terms ?? parseAffinityTerms(pod.pod);
    } catch (err) {
      if (!isStatusError(err)) throw err;
      return { code: 'Error', reasons: [`parsing pod: ${err.message}`] };
    }
    const hasPreferred = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
    if (this.scoring.ignorePreferredTermsOfExistingPods && !hasPreferred) return SKIP;
    // Pods anywhere in the cluster shape the scores: every node, not only the filtered ones.
    const considered = s ? (hasPreferred ? s.snapshot.nodes() : s.snapshot.nodesWithAffinityPods()) : nodes;
    const scores = computeTopologyScores(pod.pod, terms, considered, this.scoring, this.namespaceLabels);
    if (!scores) return SKIP;
    state.write(PRE_SCORE_KEY, scores);
    return SUCCESS;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const scores = state.read<TopologyCounts>(PRE_SCORE_KEY);
    return scores ? topologyScoreOf(scores, nodeLabels(node.node)) : 0;
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    if (!state.read<TopologyCounts>(PRE_SCORE_KEY)) return;
    normalizeMinMax(scores);
  }
}
