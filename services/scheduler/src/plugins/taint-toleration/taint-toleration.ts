/**
 * TaintToleration (tainttoleration/taint_toleration.go): a node's NoSchedule and NoExecute
 * taints keep away every pod that does not tolerate them; PreferNoSchedule taints only lower
 * the node's score, by how many of them the pod does not tolerate.
 */
import {
  type CycleState,
  type FilterPlugin,
  MAX_NODE_SCORE,
  type NodeInfo,
  type NodeScore,
  type PluginStatus,
  type PodInfo,
  type PreScorePlugin,
  type ScorePlugin,
  SUCCESS,
  unresolvable,
} from '../../framework/types.js';
import type { Taint, Toleration } from '../api-types.js';
import { defaultNormalizeScore } from '../helpers/normalize-score.js';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint } from '../helpers/tolerations.js';

export const TAINT_TOLERATION = 'TaintToleration';

const PRE_SCORE_KEY = `PreScore${TAINT_TOLERATION}`;

/** Kubernetes prints the taint's key and value: "node(s) had untolerated taint {dedicated: gpu}". */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

interface PreScoreState {
  /** The tolerations that can tolerate a PreferNoSchedule taint (that effect, or any). */
  tolerations: Toleration[];
}

function untoleratedPreferNoScheduleCount(taints: readonly Taint[] | undefined, tolerations: Toleration[]): number {
  if (!taints) return 0;
  let count = 0;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i];
    if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) count++;
  }
  return count;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = TAINT_TOLERATION;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus {
    const taint = findUntoleratedTaint(node.node.spec?.taints, pod.pod.spec?.tolerations, isDoNotScheduleTaint);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo): PluginStatus {
    state.write(PRE_SCORE_KEY, { tolerations: preferNoScheduleTolerations(pod) } satisfies PreScoreState);
    return SUCCESS;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const tolerations = state.read<PreScoreState>(PRE_SCORE_KEY)?.tolerations ?? preferNoScheduleTolerations(pod);
    return untoleratedPreferNoScheduleCount(node.node.spec?.taints, tolerations);
  }

  /** Fewer untolerated taints is better: the count is reversed onto 0..100. */
  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }
}

function preferNoScheduleTolerations(pod: PodInfo): Toleration[] {
  return (pod.pod.spec?.tolerations ?? []).filter(
    (toleration) => !toleration.effect || toleration.effect === 'PreferNoSchedule',
  );
}
