/**
 * Why no node could take a pod, worded exactly as kube-scheduler's FitError: "0/3 nodes
 * are available: 1 node(s) had untolerated taint {x: y}, 2 Insufficient cpu." Each node
 * contributes the reasons of the first filter that refused it; equal reasons are counted,
 * and the "count reason" strings are sorted as text (Go's sort.Strings), so "1 node(s)..."
 * comes before "2 Insufficient cpu". A refusal in PreFilter is one sentence for all nodes.
 */
import type { PluginStatus } from './types.js';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** Nodes that were filtered out, with the first refusal each got. */
  nodeToStatus: ReadonlyMap<string, PluginStatus>;
  /** The status of nodes not in nodeToStatus (not considered at all, as after a PreFilter narrowing). */
  absentNodesStatus?: PluginStatus;
  /** The refusal of a PreFilter plugin, for every node. */
  preFilterMsg?: string;
  /** What PostFilter (preemption) had to say. */
  postFilterMsg?: string;
  /** The plugins that refused: which cluster events may help. */
  unschedulablePlugins: ReadonlySet<string>;
}

export class FitError extends Error {
  override name = 'FitError';

  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
  }
}

export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  if (numAllNodes === 0 && !diagnosis.preFilterMsg) return NO_NODES_AVAILABLE;
  let message = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMsg) {
    message += ` ${diagnosis.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of diagnosis.nodeToStatus.values()) {
      for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
    }
    const absent = numAllNodes - diagnosis.nodeToStatus.size;
    if (absent > 0 && diagnosis.absentNodesStatus) {
      for (const reason of diagnosis.absentNodesStatus.reasons) counts.set(reason, (counts.get(reason) ?? 0) + absent);
    }
    const histogram = [...counts].map(([reason, count]) => `${count} ${reason}`).sort(byCodeUnits);
    if (histogram.length > 0) message += ` ${histogram.join(', ')}.`;
  }
  if (diagnosis.postFilterMsg) message += ` ${diagnosis.postFilterMsg}`;
  return message;
}

/** Go's string order (bytes), not the locale's. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
