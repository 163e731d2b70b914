/**
 * Runs the plugins of one profile over a pod, the way kube's frameworkImpl and
 * schedulePod do: PreFilter, Filter over a rotating sample of the nodes, PostFilter when
 * no node fits, PreScore, Score and NormalizeScore with weights, then the highest total
 * wins (ties broken at random). Reserve, Unreserve and Bind are run for the caller, which
 * owns the cycle (schedule-one.ts).
 *
 * Everything up to Reserve is synchronous: a scheduling cycle sees one snapshot and
 * nothing can change it under the plugins.
 */
import { FitError } from './fit-error.js';
import { numFeasibleNodesToFind } from './sampling.js';
import {
  type BindPlugin,
  type CycleState,
  type FilterPlugin,
  isSuccess,
  type NodeInfo,
  type NodeScore,
  type Plugin,
  type PluginStatus,
  type PodInfo,
  type PostFilterPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
  type Snapshot,
  unresolvable,
} from './types.js';
import { DEFAULT_SCORE_WEIGHTS } from './weights.js';

export interface FrameworkOptions {
  plugins: readonly Plugin[];
  /** Score weights by plugin name; absent names weigh 1. Default: kube's. */
  weights?: Readonly<Record<string, number>>;
  /** 0 (the default): kube's adaptive percentage. */
  percentageOfNodesToScore?: number;
  /** [0, 1); picks among equal best scores. */
  random?: () => number;
}

export interface ScheduleResult {
  nodeName: string;
  /** Nodes filtered in this cycle. */
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** A plugin failed (code Error): the cycle is aborted and the pod retried after back-off. */
export class PluginError extends Error {
  override name = 'PluginError';
  constructor(
    readonly plugin: string,
    message: string,
  ) {
    super(`running plugin ${plugin}: ${message}`);
  }
}

export class FrameworkRunner {
  private readonly preFilters: PreFilterPlugin[];
  private readonly filters: FilterPlugin[];
  private readonly postFilters: PostFilterPlugin[];
  private readonly preScores: PreScorePlugin[];
  private readonly scores: Array<{ plugin: ScorePlugin; weight: number }>;
  private readonly reserves: ReservePlugin[];
  private readonly binders: BindPlugin[];
  private readonly percentage: number;
  private readonly random: () => number;
  /** Where the next cycle starts walking the nodes, so that samples rotate over the cluster. */
  private nextStartNodeIndex = 0;

  constructor(options: FrameworkOptions) {
    const plugins = options.plugins;
    const weights = options.weights ?? DEFAULT_SCORE_WEIGHTS;
    this.preFilters = plugins.filter(
      (p): p is PreFilterPlugin => typeof (p as PreFilterPlugin).preFilter === 'function',
    );
    this.filters = plugins.filter((p): p is FilterPlugin => typeof (p as FilterPlugin).filter === 'function');
    this.postFilters = plugins.filter(
      (p): p is PostFilterPlugin => typeof (p as PostFilterPlugin).postFilter === 'function',
    );
    this.preScores = plugins.filter((p): p is PreScorePlugin => typeof (p as PreScorePlugin).preScore === 'function');
    this.scores = plugins
      .filter((p): p is ScorePlugin => typeof (p as ScorePlugin).score === 'function')
      .map((plugin) => ({ plugin, weight: weights[plugin.name] ?? 1 }));
    this.reserves = plugins.filter((p): p is ReservePlugin => typeof (p as ReservePlugin).reserve === 'function');
    this.binders = plugins.filter((p): p is BindPlugin => typeof (p as BindPlugin).bind === 'function');
    this.percentage = options.percentageOfNodesToScore ?? 0;
    this.random = options.random ?? Math.random;
  }

  /** Picks a node for the pod; throws FitError when none fits, PluginError when a plugin fails. */
  schedulePod(state: CycleState, pod: PodInfo, snapshot: Snapshot): ScheduleResult {
    const allNodes = snapshot.nodes();
    if (allNodes.length === 0) throw new FitError(0, { nodeToStatus: new Map(), unschedulablePlugins: new Set() });

    const { feasible, evaluated, nodeToStatus, absentNodesStatus, unschedulablePlugins } = this.findNodesThatFit(
      state,
      pod,
      snapshot,
    );
    if (feasible.length === 0) {
      const diagnosis = { nodeToStatus, unschedulablePlugins, ...(absentNodesStatus ? { absentNodesStatus } : {}) };
      const postFilterMsg = this.runPostFilter(state, pod, nodeToStatus);
      throw new FitError(allNodes.length, { ...diagnosis, ...(postFilterMsg ? { postFilterMsg } : {}) });
    }
    const only = feasible[0];
    if (feasible.length === 1 && only) {
      return { nodeName: only.name, evaluatedNodes: evaluated, feasibleNodes: 1 };
    }
    const totals = this.prioritize(state, pod, feasible);
    return { nodeName: this.selectHost(feasible, totals), evaluatedNodes: evaluated, feasibleNodes: feasible.length };
  }

  /** Runs Reserve in order; on a refusal, unreserves what was reserved and returns it. */
  reserve(state: CycleState, pod: PodInfo, nodeName: string): PluginStatus {
    for (let i = 0; i < this.reserves.length; i++) {
      const plugin = this.reserves[i] as ReservePlugin;
      const status = plugin.reserve(state, pod, nodeName);
      if (!isSuccess(status)) {
        for (let j = i; j >= 0; j--) this.reserves[j]?.unreserve(state, pod, nodeName);
        return { ...status, plugin: plugin.name };
      }
    }
    return { code: 'Success', reasons: [] };
  }

  /** Runs Unreserve in reverse order (kube's RunReservePluginsUnreserve). */
  unreserve(state: CycleState, pod: PodInfo, nodeName: string): void {
    for (let i = this.reserves.length - 1; i >= 0; i--) this.reserves[i]?.unreserve(state, pod, nodeName);
  }

  /** The first Bind plugin that does not Skip binds. */
  async bind(state: CycleState, pod: PodInfo, nodeName: string): Promise<PluginStatus> {
    for (const plugin of this.binders) {
      const status = await plugin.bind(state, pod, nodeName);
      if (status.code === 'Skip') continue;
      return { ...status, plugin: plugin.name };
    }
    return { code: 'Error', reasons: ['no bind plugin bound the pod'] };
  }

  private runPreFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot) {
    const skip = new Set<string>();
    let nodeNames: Set<string> | undefined;
    const narrowing: string[] = [];
    for (const plugin of this.preFilters) {
      const answer = plugin.preFilter(state, pod, snapshot);
      const result: PreFilterResult = 'code' in answer ? { status: answer } : answer;
      const status = result.status;
      if (status.code === 'Skip') {
        skip.add(plugin.name);
        continue;
      }
      if (status.code === 'Error') throw new PluginError(plugin.name, status.reasons.join(', '));
      if (!isSuccess(status)) {
        return { failed: { ...status, plugin: plugin.name }, skip, nodeNames, narrowing };
      }
      if (result.nodeNames) {
        narrowing.push(plugin.name);
        nodeNames = nodeNames
          ? new Set([...nodeNames].filter((n) => result.nodeNames?.has(n)))
          : new Set(result.nodeNames);
      }
    }
    return { failed: undefined, skip, nodeNames, narrowing };
  }

  private findNodesThatFit(state: CycleState, pod: PodInfo, snapshot: Snapshot) {
    const allNodes = snapshot.nodes();
    const nodeToStatus = new Map<string, PluginStatus>();
    const unschedulablePlugins = new Set<string>();
    const preFilter = this.runPreFilter(state, pod, snapshot);
    if (preFilter.failed) {
      const plugin = preFilter.failed.plugin ?? '';
      throw new FitError(allNodes.length, {
        nodeToStatus,
        preFilterMsg: preFilter.failed.reasons.join(', '),
        unschedulablePlugins: new Set([plugin]),
      });
    }
    let candidates: readonly NodeInfo[] = allNodes;
    let absentNodesStatus: PluginStatus | undefined;
    if (preFilter.nodeNames) {
      const subset: NodeInfo[] = [];
      for (const name of preFilter.nodeNames) {
        const info = snapshot.get(name);
        if (info) subset.push(info);
      }
      candidates = subset;
      const plugins = [...preFilter.narrowing].sort();
      absentNodesStatus = unresolvable(`node(s) didn't satisfy plugin(s) [${plugins.join(' ')}]`);
      for (const p of plugins) unschedulablePlugins.add(p);
    }

    const filters = preFilter.skip.size === 0 ? this.filters : this.filters.filter((f) => !preFilter.skip.has(f.name));
    const numToFind =
      filters.length === 0 ? candidates.length : numFeasibleNodesToFind(this.percentage, candidates.length);
    const feasible: NodeInfo[] = [];
    const count = candidates.length;
    const start = count === 0 ? 0 : this.nextStartNodeIndex % count;
    let evaluated = 0;
    for (let i = 0; i < count && feasible.length < numToFind; i++) {
      const node = candidates[(start + i) % count] as NodeInfo;
      evaluated++;
      const refusal = this.runFilters(filters, state, pod, node);
      if (refusal) {
        nodeToStatus.set(node.name, refusal);
        if (refusal.plugin) unschedulablePlugins.add(refusal.plugin);
      } else {
        feasible.push(node);
      }
    }
    if (count > 0) this.nextStartNodeIndex = (start + evaluated) % count;
    return { feasible, evaluated, nodeToStatus, absentNodesStatus, unschedulablePlugins };
  }

  /** The first refusal, or undefined when every filter passes. */
  private runFilters(
    filters: readonly FilterPlugin[],
    state: CycleState,
    pod: PodInfo,
    node: NodeInfo,
  ): PluginStatus | undefined {
    for (const plugin of filters) {
      const status = plugin.filter(state, pod, node);
      if (status.code === 'Success' || status.code === 'Skip') continue;
      if (status.code === 'Error') throw new PluginError(plugin.name, status.reasons.join(', '));
      return { ...status, plugin: plugin.name };
    }
    return undefined;
  }

  private runPostFilter(state: CycleState, pod: PodInfo, failed: ReadonlyMap<string, PluginStatus>): string {
    const messages: string[] = [];
    for (const plugin of this.postFilters) {
      const { status } = plugin.postFilter(state, pod, failed);
      if (status.code === 'Success') break;
      if (status.reasons.length > 0) messages.push(status.reasons.join(', '));
    }
    return messages.join(' ');
  }

  /** Weighted sum of the normalized scores per feasible node, in the order of `nodes`. */
  private prioritize(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Float64Array {
    const skip = new Set<string>();
    for (const plugin of this.preScores) {
      const status = plugin.preScore(state, pod, nodes);
      if (status.code === 'Skip') skip.add(plugin.name);
      else if (status.code !== 'Success') throw new PluginError(plugin.name, status.reasons.join(', '));
    }
    const totals = new Float64Array(nodes.length);
    for (const { plugin, weight } of this.scores) {
      if (skip.has(plugin.name)) continue;
      if (!plugin.normalizeScore) {
        for (let i = 0; i < nodes.length; i++) totals[i] += weight * plugin.score(state, pod, nodes[i] as NodeInfo);
        continue;
      }
      const scores: NodeScore[] = nodes.map((node) => ({ name: node.name, score: plugin.score(state, pod, node) }));
      plugin.normalizeScore(state, pod, scores);
      for (let i = 0; i < nodes.length; i++) totals[i] += weight * (scores[i]?.score ?? 0);
    }
    return totals;
  }

  /** The best total; among equals each has the same chance (reservoir sampling, as kube). */
  private selectHost(nodes: readonly NodeInfo[], totals: Float64Array): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      const score = totals[i] as number;
      const top = totals[best] as number;
      if (score > top) {
        best = i;
        ties = 1;
      } else if (score === top) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return (nodes[best] as NodeInfo).name;
  }
}
