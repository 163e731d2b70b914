/**
 * Micro-benchmark of the per-node hot path (not a test: it asserts nothing and prints
 * timings). Filter of NodeResourcesFit + NodeAffinity + TaintToleration over 5,000 nodes,
 * then Score of the scoring plugins, then InterPodAffinity's PreFilter with 10,000 placed
 * pods that all carry a required anti-affinity term.
 *
 * Run it compiled: tsc with the plugins, then `node <out>/plugins/testing/filter-benchmark.js`.
 */
import {
  CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PodInfo,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/types.js';
import { InterPodAffinity } from '../inter-pod-affinity/inter-pod-affinity.js';
import { NodeAffinity } from '../node-affinity/node-affinity.js';
import { NodeResourcesBalancedAllocation } from '../node-resources-balanced-allocation/balanced-allocation.js';
import { NodeResourcesFit } from '../node-resources-fit/node-resources-fit.js';
import { podInfoOf } from '../pod-info.js';
import { TaintToleration } from '../taint-toleration/taint-toleration.js';
import { makeNode, makePod } from './builders.js';
import { nodeInfoOf, snapshotOf } from './node-infos.js';

const NODES = 5_000;
const ROUNDS = 200;

function clusterOf(podsPerNode: (i: number) => PodInfo[]): NodeInfo[] {
  const infos: NodeInfo[] = [];
  for (let i = 0; i < NODES; i++) {
    const builder = makeNode()
      .name(`node-${i}`)
      .labels({
        'kubernetes.io/hostname': `node-${i}`,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${i % 3}`,
      })
      .capacity({ cpu: '4', memory: '32Gi', pods: '110' });
    if (i % 10 === 0) builder.taint('dedicated', 'batch', 'NoSchedule');
    infos.push(nodeInfoOf(builder.obj(), podsPerNode(i)));
  }
  return infos;
}

function timeFilters(plugins: (FilterPlugin & Partial<PreFilterPlugin>)[], pod: PodInfo, nodes: NodeInfo[]): number {
  const snapshot = snapshotOf(nodes);
  let passed = 0;
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const state = new CycleState();
    for (const plugin of plugins) plugin.preFilter?.(state, pod, snapshot);
    for (let n = 0; n < nodes.length; n++) {
      let fits = true;
      for (let p = 0; p < plugins.length && fits; p++)
        fits = plugins[p].filter(state, pod, nodes[n]).code === 'Success';
      if (fits) passed++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6 / ROUNDS;
  if (passed === 0) throw new Error('no node passed: the benchmark measures the wrong path');
  return elapsed;
}

function timeScores(pod: PodInfo, nodes: NodeInfo[]): number {
  const plugins: (PreScorePlugin & ScorePlugin)[] = [
    new NodeResourcesFit(),
    new NodeResourcesBalancedAllocation(),
    new TaintToleration(),
    new NodeAffinity(),
  ];
  let sum = 0;
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const state = new CycleState();
    // As the framework does: a plugin whose PreScore answers Skip is not asked to Score.
    const scoring = plugins.filter((plugin) => plugin.preScore(state, pod, nodes).code !== 'Skip');
    for (let n = 0; n < nodes.length; n++) for (const plugin of scoring) sum += plugin.score(state, pod, nodes[n]);
  }
  if (sum < 0) throw new Error('impossible');
  return Number(process.hrtime.bigint() - start) / 1e6 / ROUNDS;
}

const pod = podInfoOf(
  makePod()
    .name('bench')
    .req({ cpu: '100m', memory: '256Mi' })
    .nodeSelector({ 'kubernetes.io/os': 'linux' })
    .nodeAffinityTerm([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }])
    .toleration({ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' })
    .obj(),
);
const small = podInfoOf(makePod().name('other').req({ cpu: '100m', memory: '128Mi' }).obj());
const cluster = clusterOf(() => [small, small]);

const filters = [new NodeResourcesFit(), new NodeAffinity(), new TaintToleration()];
timeFilters(filters, pod, cluster); // warm-up: let the JIT settle
const filterMs = timeFilters(filters, pod, cluster);
timeScores(pod, cluster);
const scoreMs = timeScores(pod, cluster);

const antiPod = (i: number) =>
  podInfoOf(
    makePod()
      .name(`anti-${i}`)
      .label('app', 'bench')
      .req({ cpu: '10m' })
      .podAntiAffinityIn('app', ['bench'], 'kubernetes.io/hostname')
      .obj(),
  );
const crowded = clusterOf((i) => [antiPod(2 * i), antiPod(2 * i + 1)]);
const incoming = antiPod(-1);
const affinity = new InterPodAffinity();
const snapshot = snapshotOf(crowded);
affinity.preFilter(new CycleState(), incoming, snapshot);
const affinityStart = process.hrtime.bigint();
const AFFINITY_ROUNDS = 20;
for (let i = 0; i < AFFINITY_ROUNDS; i++) affinity.preFilter(new CycleState(), incoming, snapshot);
const affinityMs = Number(process.hrtime.bigint() - affinityStart) / 1e6 / AFFINITY_ROUNDS;

console.log(
  JSON.stringify({
    nodes: NODES,
    filterFitAffinityTaintsMsPer5000Nodes: Number(filterMs.toFixed(3)),
    scoreFitBalancedTaintAffinityMsPer5000Nodes: Number(scoreMs.toFixed(3)),
    interPodAffinityPreFilterMsWith10000AntiAffinityPods: Number(affinityMs.toFixed(3)),
  }),
);
