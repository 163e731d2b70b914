/**
 * NodeAffinity (nodeaffinity/node_affinity.go): the pod's nodeSelector and required node
 * affinity must match the node's labels (and name, through matchFields metadata.name); no
 * preemption can change a node's labels, so a mismatch is unresolvable. Preferred terms
 * score a node by the summed weights of those it matches, scaled to 0..100.
 */
import {
  type CycleState,
  type FilterPlugin,
  MAX_NODE_SCORE,
  type NodeInfo,
  type NodeScore,
  type PluginStatus,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  SUCCESS,
  unresolvable,
} from '../../framework/types.js';
import { NODE_NAME_FIELD, PreferredSchedulingTerms, RequiredNodeAffinity } from '../helpers/node-affinity-matcher.js';
import { defaultNormalizeScore } from '../helpers/normalize-score.js';
import { SKIP } from '../helpers/status.js';

export const NODE_AFFINITY = 'NodeAffinity';
export const REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
export const REASON_AFFINITY_CONFLICT = 'pod affinity terms conflict';

const PRE_FILTER_KEY = `PreFilter${NODE_AFFINITY}`;
const PRE_SCORE_KEY = `PreScore${NODE_AFFINITY}`;

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NODE_AFFINITY;

  preFilter(state: CycleState, pod: PodInfo): PreFilterResult | PluginStatus {
    const required = RequiredNodeAffinity.of(pod.pod);
    state.write(PRE_FILTER_KEY, required);
    if (required.isEmpty) return SKIP;
    const nodeNames = nodeNamesOfTerms(pod);
    if (nodeNames === undefined) return SUCCESS;
    // Every term names nodes and no name is in all of a term's requirements: nothing can match.
    if (nodeNames.size === 0) return unresolvable(REASON_AFFINITY_CONFLICT);
    return { status: SUCCESS, nodeNames };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus {
    const required = state.read<RequiredNodeAffinity>(PRE_FILTER_KEY) ?? RequiredNodeAffinity.of(pod.pod);
    return required.matches(node.node) ? SUCCESS : unresolvable(REASON_NODE_AFFINITY);
  }

  preScore(state: CycleState, pod: PodInfo): PluginStatus {
    const preferred = PreferredSchedulingTerms.of(
      pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    );
    if (preferred.isEmpty) return SKIP;
    state.write(PRE_SCORE_KEY, preferred);
    return SUCCESS;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const preferred =
      state.read<PreferredSchedulingTerms>(PRE_SCORE_KEY) ??
      PreferredSchedulingTerms.of(
        pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
      );
    return preferred.score(node.node);
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }
}

/**
 * The node names the required terms allow, when every term names some through
 * `metadata.name In`: the union over terms of the intersection within each term.
 * Undefined when some term allows any name.
 */
function nodeNamesOfTerms(pod: PodInfo): Set<string> | undefined {
  const terms =
    pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    let termNames: Set<string> | undefined;
    for (const requirement of term.matchFields ?? []) {
      if (requirement.key !== NODE_NAME_FIELD || requirement.operator !== 'In') continue;
      const values = new Set(requirement.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((name) => values.has(name))) : values;
    }
    if (termNames === undefined) return undefined;
    for (const name of termNames) names.add(name);
  }
  return names;
}
