/**
 * NodeResourcesFit (kube-scheduler noderesources/fit.go): a node fits when it has room for
 * the pod's requests next to what is already requested there, and one more pod slot.
 * Every shortfall is a reason ("Insufficient cpu", "Too many pods"), so the FailedScheduling
 * event can count them all. Scores by LeastAllocated (default) or MostAllocated.
 */
import {
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PluginStatus,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type Resources,
  type ScorePlugin,
  SUCCESS,
  unschedulable,
} from '../../framework/types.js';
import {
  DEFAULT_RESOURCES,
  leastRequestedScore,
  mostRequestedScore,
  podRequestList,
  type ResourceSpec,
  requestedWith,
  scoredAllocatable,
} from '../helpers/resource-allocation.js';
import { missingState } from '../helpers/status.js';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

const PRE_FILTER_KEY = `PreFilter${NODE_RESOURCES_FIT}`;
const PRE_SCORE_KEY = `PreScore${NODE_RESOURCES_FIT}`;

export const REASON_TOO_MANY_PODS = 'Too many pods';

export type ScoringStrategy = 'LeastAllocated' | 'MostAllocated';

export interface NodeResourcesFitOptions {
  scoringStrategy?: ScoringStrategy;
  /** Resources scored and their weights; cpu and memory with weight 1 by default. */
  resources?: readonly ResourceSpec[];
  /** Extended resources the filter does not check ("example.com/foo"). */
  ignoredResources?: readonly string[];
  /** Extended resource groups (the part before "/") the filter does not check. */
  ignoredResourceGroups?: readonly string[];
}

interface PreFilterState {
  requests: Resources;
  /** True when the pod requests nothing but a pod slot. */
  requestsNothing: boolean;
  /** Extended resources requested (> 0) and not ignored, with their reasons, built once. */
  scalarNames: string[];
  scalarReasons: string[];
}

interface PreScoreState {
  podRequests: number[];
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_FIT;
  private readonly strategy: ScoringStrategy;
  private readonly resources: readonly ResourceSpec[];
  private readonly ignoredResources: ReadonlySet<string>;
  private readonly ignoredResourceGroups: ReadonlySet<string>;

  constructor(options: NodeResourcesFitOptions = {}) {
    this.strategy = options.scoringStrategy ?? 'LeastAllocated';
    this.resources = options.resources ?? DEFAULT_RESOURCES;
    this.ignoredResources = new Set(options.ignoredResources ?? []);
    this.ignoredResourceGroups = new Set(options.ignoredResourceGroups ?? []);
  }

  preFilter(state: CycleState, pod: PodInfo): PluginStatus {
    state.write(PRE_FILTER_KEY, this.preFilterState(pod));
    return SUCCESS;
  }

  filter(state: CycleState, _pod: PodInfo, node: NodeInfo): PluginStatus {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return missingState(PRE_FILTER_KEY);
    // The common case (it fits) builds nothing; only a failure allocates its reasons.
    let reasons: string[] | undefined;
    const allocatable = node.allocatable;
    const requested = node.requested;
    if (node.pods.length + 1 > allocatable.pods) (reasons ??= []).push(REASON_TOO_MANY_PODS);
    if (!s.requestsNothing) {
      const want = s.requests;
      if (want.milliCpu > 0 && want.milliCpu > allocatable.milliCpu - requested.milliCpu) {
        (reasons ??= []).push('Insufficient cpu');
      }
      if (want.memory > 0 && want.memory > allocatable.memory - requested.memory) {
        (reasons ??= []).push('Insufficient memory');
      }
      if (
        want.ephemeralStorage > 0 &&
        want.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage
      ) {
        (reasons ??= []).push('Insufficient ephemeral-storage');
      }
      for (let i = 0; i < s.scalarNames.length; i++) {
        const name = s.scalarNames[i];
        if (want.scalar[name] > (allocatable.scalar[name] ?? 0) - (requested.scalar[name] ?? 0)) {
          (reasons ??= []).push(s.scalarReasons[i]);
        }
      }
    }
    return reasons ? unschedulable(...reasons) : SUCCESS;
  }

  preScore(state: CycleState, pod: PodInfo): PluginStatus {
    state.write(PRE_SCORE_KEY, { podRequests: podRequestList(pod, this.resources, false) } satisfies PreScoreState);
    return SUCCESS;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): number {
    const podRequests =
      state.read<PreScoreState>(PRE_SCORE_KEY)?.podRequests ?? podRequestList(pod, this.resources, false);
    const resources = this.resources;
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < resources.length; i++) {
      const { name, weight } = resources[i];
      const allocatable = scoredAllocatable(node, name, podRequests[i]);
      if (allocatable === 0) continue;
      const requested = requestedWith(node, name, podRequests[i], false);
      const resourceScore =
        this.strategy === 'LeastAllocated'
          ? leastRequestedScore(requested, allocatable)
          : mostRequestedScore(requested, allocatable);
      nodeScore += resourceScore * weight;
      weightSum += weight;
    }
    return weightSum === 0 ? 0 : Math.trunc(nodeScore / weightSum);
  }

  private preFilterState(pod: PodInfo): PreFilterState {
    const requests = pod.requests;
    const scalarNames = Object.keys(requests.scalar).filter(
      (name) => requests.scalar[name] > 0 && !this.isIgnored(name),
    );
    return {
      requests,
      requestsNothing:
        requests.milliCpu === 0 &&
        requests.memory === 0 &&
        requests.ephemeralStorage === 0 &&
        Object.keys(requests.scalar).length === 0,
      scalarNames,
      scalarReasons: scalarNames.map((name) => `Insufficient ${name}`),
    };
  }

  /** Only extended resources (a domain other than kubernetes.io) can be ignored. */
  private isIgnored(name: string): boolean {
    const slash = name.indexOf('/');
    if (slash < 0 || name.includes('kubernetes.io/') || name.startsWith('requests.')) return false;
    return this.ignoredResources.has(name) || this.ignoredResourceGroups.has(name.slice(0, slash));
  }
}
