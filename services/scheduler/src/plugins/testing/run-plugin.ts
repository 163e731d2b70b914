/**
 * Runs one plugin through the extension points the way the framework does, for tests:
 * PreFilter then Filter per node (skipped after a Skip), PreScore then Score and
 * NormalizeScore (all 0 after a Skip).
 */
import type { Pod } from '@tkube/api';
import {
  CycleState,
  type FilterPlugin,
  isSuccess,
  type NodeInfo,
  type NodeScore,
  type PluginStatus,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  SUCCESS,
} from '../../framework/types.js';
import { podInfoOf } from '../pod-info.js';
import { snapshotOf } from './node-infos.js';

type AnyPlugin = Partial<PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin> & { name: string };

export interface FilterRun {
  state: CycleState;
  preFilter: PluginStatus;
  nodeNames?: ReadonlySet<string>;
  /** Per node name; absent when PreFilter failed. */
  statuses: Map<string, PluginStatus>;
}

function asResult(answer: PreFilterResult | PluginStatus): PreFilterResult {
  return 'code' in answer ? { status: answer } : answer;
}

export function runPreFilter(plugin: AnyPlugin, pod: PodInfo, nodes: readonly NodeInfo[], state = new CycleState()) {
  const answer = plugin.preFilter ? plugin.preFilter(state, pod, snapshotOf(nodes)) : SUCCESS;
  return { state, ...asResult(answer) };
}

export function runFilter(plugin: AnyPlugin, pod: Pod | PodInfo, nodes: readonly NodeInfo[]): FilterRun {
  const info = 'requests' in pod ? pod : podInfoOf(pod);
  const { state, status, nodeNames } = runPreFilter(plugin, info, nodes);
  const statuses = new Map<string, PluginStatus>();
  const run: FilterRun = { state, preFilter: status, nodeNames, statuses };
  if (status.code === 'Skip') {
    for (const node of nodes) statuses.set(node.name, SUCCESS);
    return run;
  }
  if (!isSuccess(status)) return run;
  for (const node of nodes) statuses.set(node.name, plugin.filter ? plugin.filter(state, info, node) : SUCCESS);
  return run;
}

/** Scores `nodes` (the filtered ones); PreFilter has seen `allNodes` (defaults to `nodes`). */
export function runScore(
  plugin: AnyPlugin,
  pod: Pod | PodInfo,
  nodes: readonly NodeInfo[],
  allNodes: readonly NodeInfo[] = nodes,
): NodeScore[] {
  const info = 'requests' in pod ? pod : podInfoOf(pod);
  const state = new CycleState();
  if (plugin.preFilter) plugin.preFilter(state, info, snapshotOf(allNodes));
  const preScore = plugin.preScore ? plugin.preScore(state, info, nodes) : SUCCESS;
  if (preScore.code === 'Skip') return nodes.map((node) => ({ name: node.name, score: 0 }));
  if (!isSuccess(preScore)) throw new Error(`PreScore failed: ${preScore.reasons.join(', ')}`);
  const scores = nodes.map((node) => ({ name: node.name, score: plugin.score ? plugin.score(state, info, node) : 0 }));
  plugin.normalizeScore?.(state, info, scores);
  return scores;
}

/** `{ node1: 'Success', node2: 'Unschedulable: Insufficient cpu' }`: easy to compare in one assertion. */
export function describeStatuses(statuses: ReadonlyMap<string, PluginStatus>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, status] of statuses) {
    out[name] = status.code === 'Success' ? 'Success' : `${status.code}: ${status.reasons.join(', ')}`;
  }
  return out;
}
