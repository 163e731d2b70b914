/**
 * NodeResourcesBalancedAllocation (noderesources/balanced_allocation.go): favours nodes
 * where the pod would leave cpu and memory used in equal shares, so that neither runs out
 * while the other idles. Uses the plain requests (no defaults); a pod that requests
 * nothing is not scored by it at all (PreScore answers Skip), or best-effort pods would pile
 * onto one node (kubernetes#129138).
 */
import {
  type CycleState,
  type NodeInfo,
  type PluginStatus,
  type PodInfo,
  type PreScorePlugin,
  type ScorePlugin,
  SUCCESS,
} from '../../framework/types.js';
import {
  balancedScore,
  DEFAULT_RESOURCES,
  podRequestList,
  type ResourceSpec,
  requestedWith,
  scoredAllocatable,
} from '../helpers/resource-allocation.js';
import { SKIP } from '../helpers/status.js';

export const NODE_RESOURCES_BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

const PRE_SCORE_KEY = `PreScore${NODE_RESOURCES_BALANCED_ALLOCATION}`;

export interface BalancedAllocationOptions {
  resources?: readonly ResourceSpec[];
}

interface PreScoreState {
  podRequests: number[];
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_BALANCED_ALLOCATION;
  private readonly resources: readonly ResourceSpec[];
  /** Scratch space for the fractions of one node: Score runs once per node, allocation-free. */
  private readonly fractions: Float64Array;

  constructor(options: BalancedAllocationOptions = {}) {
    this.resources = options.resources ?? DEFAULT_RESOURCES;
    this.fractions = new Float64Array(this.resources.length);
  }

  preScore(state: CycleState, pod: PodInfo): PluginStatus {
    const podRequests = podRequestList(pod, this.resources, true);
    if (podRequests.every((request) => request === 0)) return SKIP;
    state.write(PRE_SCORE_KEY, { podRequests } satisfies PreScoreState);
    return SUCCESS;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    let podRequests = state.read<PreScoreState>(PRE_SCORE_KEY)?.podRequests;
    if (!podRequests) {
      podRequests = podRequestList(pod, this.resources, true);
      if (podRequests.every((request) => request === 0)) return 0;
    }
    let count = 0;
    for (let i = 0; i < this.resources.length; i++) {
      const name = this.resources[i].name;
      const allocatable = scoredAllocatable(node, name, podRequests[i]);
      if (allocatable === 0) continue;
      const fraction = requestedWith(node, name, podRequests[i], true) / allocatable;
      this.fractions[count++] = Math.min(fraction, 1);
    }
    return balancedScore(this.fractions, count);
  }
}
