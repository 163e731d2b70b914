/**
 * The scheduling framework's extension points, after kube-scheduler's
 * pkg/scheduler/framework/interface.go: a plugin has a name and opts in to each point by
 * implementing its small interface; the framework runs them in order and passes one
 * CycleState per scheduling cycle. Plugins never call each other.
 *
 * Everything a plugin reads is precomputed and cheap (NodeInfo sums, pod requests): the
 * scheduler runs Filter and Score for thousands of nodes per pod.
 */
import type { Node, Pod } from '@tkube/api';

/** What happens next, as kube's framework.Code. */
export type StatusCode =
  | 'Success'
  | 'Error'
  | 'Unschedulable'
  /** Unschedulable and no preemption on this node can help (e.g. node affinity). */
  | 'UnschedulableAndUnresolvable'
  | 'Wait'
  | 'Skip';

export interface PluginStatus {
  code: StatusCode;
  /** Why, in kube's words: "Insufficient cpu", "node(s) didn't match Pod's node affinity/selector". */
  reasons: string[];
  /** The plugin that answered (filled in by the framework). */
  plugin?: string;
}

export const SUCCESS: PluginStatus = Object.freeze({ code: 'Success', reasons: [] }) as PluginStatus;

export function unschedulable(...reasons: string[]): PluginStatus {
  return { code: 'Unschedulable', reasons };
}

export function unresolvable(...reasons: string[]): PluginStatus {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export function isSuccess(status: PluginStatus | undefined): boolean {
  return status === undefined || status.code === 'Success';
}

/** Resource amounts in the units the scheduler compares: millicores, bytes, counts. */
export interface Resources {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  /** Extended resources by name ("nvidia.com/gpu"), integers. */
  scalar: Record<string, number>;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

/** A pod as the scheduler sees it: parsed once, read by every plugin. */
export interface PodInfo {
  pod: Pod;
  /** Effective requests: the sum of app containers, or the largest init container, whichever is larger, plus overhead. */
  requests: Resources;
  /** Requests with kube's non-zero defaults (100m cpu, 200 MiB memory) for containers that ask for none: for scoring. */
  nonZeroRequests: Resources;
  hostPorts: HostPort[];
}

/** A node and what is placed on it (bound and assumed pods): kept up to date incrementally. */
export interface NodeInfo {
  readonly name: string;
  readonly node: Node;
  readonly allocatable: Resources;
  /** Sum of the requests of the pods on the node. */
  readonly requested: Resources;
  readonly nonZeroRequested: Resources;
  readonly pods: readonly PodInfo[];
  /** Pods on the node that have (anti-)affinity terms: what InterPodAffinity must look at. */
  readonly podsWithAffinity: readonly PodInfo[];
  readonly usedPorts: readonly HostPort[];
  /** Bumped on every change: lets plugins cache per-node results. */
  readonly generation: number;
}

/** A consistent view of all nodes for one scheduling cycle. */
export interface Snapshot {
  nodes(): readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes that hold at least one pod with affinity terms. */
  nodesWithAffinityPods(): readonly NodeInfo[];
}

/** Per-cycle scratch space: PreFilter writes what Filter and Score read. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterResult {
  status: PluginStatus;
  /** When set, only these nodes can fit (NodeName, NodeAffinity with matchFields). */
  nodeNames?: ReadonlySet<string>;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): PreFilterResult | PluginStatus;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus;
}

/** Runs when no node fits (kube's preemption lives here); may nominate a node. */
export interface PostFilterPlugin extends Plugin {
  postFilter(
    state: CycleState,
    pod: PodInfo,
    failed: ReadonlyMap<string, PluginStatus>,
  ): { status: PluginStatus; nominatedNodeName?: string };
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): PluginStatus;
}

export interface NodeScore {
  name: string;
  score: number;
}

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export interface ScorePlugin extends Plugin {
  /** 0..100 after NormalizeScore (raw scores may use another range when normalizeScore is given). */
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Maps the raw scores of all nodes to 0..100 in place. */
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): void;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: PodInfo, nodeName: string): PluginStatus;
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void;
}

export interface BindPlugin extends Plugin {
  bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginStatus>;
}
