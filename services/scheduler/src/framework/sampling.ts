/**
 * How many feasible nodes a cycle looks for before it stops filtering (kube's
 * numFeasibleNodesToFind): all of them below 100 nodes; otherwise percentageOfNodesToScore
 * percent, where 0 means kube's adaptive default, 50% minus 1% per 125 nodes, never under
 * 5%; and never fewer than 100 nodes. 5,000 nodes: 10%, 500 nodes.
 */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
export const DEFAULT_PERCENTAGE_BASE = 50;
export const ADAPTIVE_NODES_PER_PERCENT = 125;

export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) {
    percentage = DEFAULT_PERCENTAGE_BASE - Math.trunc(numAllNodes / ADAPTIVE_NODES_PER_PERCENT);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  if (percentage >= 100) return numAllNodes;
  const numNodes = Math.trunc((numAllNodes * percentage) / 100);
  return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
}
