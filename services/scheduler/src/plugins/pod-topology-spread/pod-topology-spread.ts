/**
 * PodTopologySpread (kube-scheduler podtopologyspread): spreads matching pods evenly across
 * topology domains. DoNotSchedule constraints filter (maxSkew, minDomains); ScheduleAnyway
 * constraints score.
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
import { RequiredNodeAffinity } from '../helpers/node-affinity-matcher.js';
import { errorStatus, missingState, SKIP } from '../helpers/status.js';
import { type Action, type SpreadConstraint, spreadConstraintsOf } from './constraints.js';
import { computeFilterState, type FilterState, spreadViolation } from './filtering.js';
import { computeScoreState, normalizeSpreadScores, type ScoreState, spreadScore } from './scoring.js';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';

const PRE_FILTER_KEY = `PreFilter${POD_TOPOLOGY_SPREAD}`;
const PRE_SCORE_KEY = `PreScore${POD_TOPOLOGY_SPREAD}`;
/** The cycle's snapshot, kept by PreFilter for PreScore, which must count pods on every node. */
const SNAPSHOT_KEY = `Snapshot${POD_TOPOLOGY_SPREAD}`;

function constraintsOrStatus(pod: PodInfo, action: Action): SpreadConstraint[] | PluginStatus {
  try {
    return spreadConstraintsOf(pod.pod, action);
  } catch (err) {
    if (!isStatusError(err)) throw err;
    return errorStatus(`get constraints from pod: ${err.message}`);
  }
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = POD_TOPOLOGY_SPREAD;

  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): PluginStatus {
    state.write(SNAPSHOT_KEY, snapshot);
    const constraints = constraintsOrStatus(pod, 'DoNotSchedule');
    if (!Array.isArray(constraints)) return constraints;
    if (constraints.length === 0) {
      state.write(PRE_FILTER_KEY, null);
      return SKIP;
    }
    const filterState = computeFilterState(pod.pod, constraints, snapshot.nodes(), RequiredNodeAffinity.of(pod.pod));
    state.write(PRE_FILTER_KEY, filterState);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): PluginStatus {
    const s = state.read<FilterState | null>(PRE_FILTER_KEY);
    if (s === undefined) return missingState(PRE_FILTER_KEY);
    if (s === null) return SUCCESS; // no DoNotSchedule constraint: PreFilter answered Skip
    const violation = spreadViolation(s, node);
    if (!violation) return SUCCESS;
    return violation.unresolvable ? unresolvable(violation.reason) : unschedulable(violation.reason);
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PluginStatus {
    const snapshot = state.read<Snapshot>(SNAPSHOT_KEY);
    const allNodes = snapshot ? snapshot.nodes() : nodes;
    if (allNodes.length === 0) return SKIP;
    const constraints = constraintsOrStatus(pod, 'ScheduleAnyway');
    if (!Array.isArray(constraints)) return constraints;
    if (constraints.length === 0) return SKIP;
    state.write(
      PRE_SCORE_KEY,
      computeScoreState(pod.pod, constraints, nodes, allNodes, RequiredNodeAffinity.of(pod.pod)),
    );
    return SUCCESS;
  }

  score(state: CycleState, _pod: PodInfo, node: NodeInfo): number {
    const s = state.read<ScoreState>(PRE_SCORE_KEY);
    return s ? spreadScore(s, node) : 0;
  }

  normalizeScore(state: CycleState, _pod: PodInfo, scores: NodeScore[]): void {
    const s = state.read<ScoreState>(PRE_SCORE_KEY);
    if (s) normalizeSpreadScores(s, scores);
  }
}
