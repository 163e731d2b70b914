/**
 * Scheduler benchmark: pods scheduled per second, end to end, through a real apiserver
 * process on a real nats-server, with a real scheduler process, all on loopback.
 *
 * Each scenario gets a fresh cluster: N hollow Node objects (cpu 4, memory 16Gi, pods 110,
 * three zones; no kubelet: the scheduler needs only the objects) created concurrently,
 * then the scheduler is started and 10,000 pending pods (100m/128Mi) are created by 16
 * concurrent clients. One watch sees each pod bound (spec.nodeName set). Throughput is
 * pods / (last bound - first create sent): creation and scheduling overlap, as in kube's
 * scheduler_perf. Every placement is checked afterwards (no node over-committed, no
 * anti-affinity group twice on a node).
 *
 * Run: `npm run bench` in services/scheduler after `npm run build`. BENCH_SCENARIOS=basic-5000
 * runs one; BENCH_CPU_PROFILE=dir profiles the scheduler. Figures go to bench/results.md
 * and bench/results.json.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node, Pod } from '@tkube/api';
// Built code only: this script runs under Node's type stripping, which does not rewrite imports.
import { ApiClient } from '../../../packages/client/dist/index.js';
import { startBenchCluster, TOKEN } from './cluster.ts';
import { type CoreShares, measureCores, rssMiB } from './cpu.ts';
import { benchNode, benchPod, inParallel } from './workload.ts';

const here = dirname(fileURLToPath(import.meta.url));
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const NAMESPACE = 'bench';
const PODS = { group: '', version: 'v1', resource: 'pods', namespace: NAMESPACE };
const POD_COUNT = 10_000;
const POD_CLIENTS = 16;
const NODE_CLIENTS = 32;
const GROUP_SIZE = 10;
const SCENARIO_DEADLINE_MS = 240_000;
const GOAL_PODS_PER_SECOND = 1_000;

interface Scenario {
  name: string;
  nodes: number;
  antiAffinity: boolean;
  /** Create every pod before the scheduler starts: the scheduler's own pace, without creates competing for the CPU. */
  backlog?: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'basic-5000', nodes: 5_000, antiAffinity: false },
  { name: 'basic-1000', nodes: 1_000, antiAffinity: false },
  { name: 'anti-affinity-5000', nodes: 5_000, antiAffinity: true },
  { name: 'backlog-5000', nodes: 5_000, antiAffinity: false, backlog: true },
];

interface Figures {
  scenario: string;
  nodes: number;
  pods: number;
  antiAffinity: boolean;
  backlog: boolean;
  podsBound: number;
  podsPerSecond: number;
  createsPerSecond: number;
  nodeCreatesPerSecond: number;
  createToBoundP50Ms: number;
  createToBoundP99Ms: number;
  seconds: number;
  /** Cores used by each process while pods were created and scheduled (the machine has 2). */
  cores: CoreShares;
  schedulerRssMiB: number;
  /** Placements that break a rule (over-committed node, anti-affinity group twice on a node): must be 0. */
  violations: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function runScenario(scenario: Scenario): Promise<Figures> {
  console.log(`bench: ${scenario.name}: starting nats-server and the apiserver ...`);
  const cluster = await startBenchCluster();
  const client = ApiClient.connect({ address: cluster.grpcAddress, token: TOKEN });
  try {
    await client.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } });
    console.log(`bench: ${scenario.name}: creating ${scenario.nodes} nodes ...`);
    const nodeStart = performance.now();
    await inParallel(scenario.nodes, NODE_CLIENTS, async (i) => {
      await client.create<Node>(NODES, benchNode(i));
    });
    const nodeCreatesPerSecond = scenario.nodes / ((performance.now() - nodeStart) / 1000);

    const created = new Map<string, number>();
    let createsDone = 0;
    let createSeconds = 0;
    const createPods = async () => {
      console.log(`bench: ${scenario.name}: creating ${POD_COUNT} pods with ${POD_CLIENTS} clients ...`);
      const createStart = performance.now();
      await inParallel(POD_COUNT, POD_CLIENTS, async (i) => {
        await client.create<Pod>(PODS, benchPod(NAMESPACE, i, scenario.antiAffinity ? GROUP_SIZE : undefined));
        created.set(`pod-${i}`, performance.now());
        createsDone++;
      });
      createSeconds = (performance.now() - createStart) / 1000;
    };
    if (scenario.backlog) await createPods();

    const bound = new Map<string, number>();
    const placement = new Map<string, string>();
    const listed = await client.list<Pod>(PODS);
    const watch = client.watch<Pod>(PODS, { resourceVersion: listed.metadata.resourceVersion ?? '' });
    let allBound: () => void = () => undefined;
    const everyPodBound = new Promise<void>((resolve) => {
      allBound = resolve;
    });
    const watching = (async () => {
      for await (const event of watch) {
        const pod = event.object;
        const name = pod.metadata?.name ?? '';
        const node = pod.spec?.nodeName;
        if (!node || bound.has(name)) continue;
        bound.set(name, performance.now());
        placement.set(name, node);
        if (bound.size >= POD_COUNT) allBound();
      }
    })().catch(() => undefined);

    console.log(`bench: ${scenario.name}: starting the scheduler ...`);
    const schedulerStarted = performance.now();
    const scheduler = await cluster.startScheduler();
    if (!scheduler.pid) throw new Error('no pid for the scheduler');

    const cores = measureCores({ ...cluster.pids, scheduler: scheduler.pid });
    // A backlog is timed from the start of the scheduler process (its informers list the pods first).
    const start = scenario.backlog ? schedulerStarted : performance.now();
    if (!scenario.backlog) await createPods();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, SCENARIO_DEADLINE_MS).unref());
    await Promise.race([everyPodBound, deadline]);
    const shares = cores();
    const lastBound = Math.max(...bound.values());
    const seconds = (lastBound - start) / 1000;
    watch.stop();
    await watching;

    const latencies = [...bound].map(([name, at]) => at - (created.get(name) ?? at)).sort((a, b) => a - b);
    const figures: Figures = {
      scenario: scenario.name,
      nodes: scenario.nodes,
      pods: POD_COUNT,
      antiAffinity: scenario.antiAffinity,
      backlog: scenario.backlog ?? false,
      podsBound: bound.size,
      podsPerSecond: Math.round(bound.size / seconds),
      createsPerSecond: Math.round(createsDone / createSeconds),
      nodeCreatesPerSecond: Math.round(nodeCreatesPerSecond),
      createToBoundP50Ms: Math.round(percentile(latencies, 50)),
      createToBoundP99Ms: Math.round(percentile(latencies, 99)),
      seconds: Math.round(seconds * 10) / 10,
      cores: shares,
      schedulerRssMiB: rssMiB(scheduler.pid),
      violations: countViolations(placement, scenario),
    };
    console.log(JSON.stringify(figures));
    return figures;
  } finally {
    client.close();
    await cluster.stop();
  }
}

/** 100m per pod on 4 cpu: at most 40 a node; anti-affinity: one pod of a group per node. */
function countViolations(placement: Map<string, string>, scenario: Scenario): number {
  const perNode = new Map<string, number>();
  const groupNodes = new Set<string>();
  let violations = 0;
  for (const [name, node] of placement) {
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
    if (scenario.antiAffinity) {
      const group = Math.floor(Number(name.slice('pod-'.length)) / GROUP_SIZE);
      const key = `${group}@${node}`;
      if (groupNodes.has(key)) violations++;
      groupNodes.add(key);
    }
  }
  for (const count of perNode.values()) if (count > 40) violations += count - 40;
  return violations;
}

function writeResults(results: Figures[]): void {
  const date = new Date().toISOString();
  writeFileSync(
    join(here, 'results.json'),
    `${JSON.stringify({ date, goalPodsPerSecond: GOAL_PODS_PER_SECOND, results }, null, 2)}\n`,
  );
  const rows = results.map(
    (f) =>
      `| ${f.scenario} | ${f.nodes} | ${f.pods}${f.antiAffinity ? ' (anti-affinity, groups of 10)' : ''}${f.backlog ? ' (all created before the scheduler starts)' : ''} | **${f.podsPerSecond}** | ${f.createsPerSecond} | ${f.createToBoundP50Ms} / ${f.createToBoundP99Ms} ms | ${f.podsBound} | ${f.violations} | ${Object.entries(
        f.cores,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} | ${f.schedulerRssMiB} MiB |`,
  );
  const md = `# scheduler benchmark

Written by \`npm run bench\` in services/scheduler on ${date}: a real apiserver process on a
real nats-server 2.9 (JetStream KV), a real scheduler process (default plugins, leader
election on), gRPC on loopback, on this 2-core machine. Hollow Node objects (cpu 4, memory
16Gi, pods 110, 3 zones), ${POD_COUNT} pods of 100m/128Mi created by ${POD_CLIENTS} concurrent
clients while the scheduler runs; one watch sees each pod bound. Pods/s = pods bound /
(last bound - first create sent); for the backlog, pods bound / (last bound - scheduler process
started). Goal: ${GOAL_PODS_PER_SECOND} pods/s for 5,000 nodes x 10,000 pods
(kube's scheduler_perf asks 680 pods/s for SchedulingBasic 5000Nodes_10000Pods, on far
bigger machines with an in-process apiserver).

| scenario | nodes | pods | pods/s scheduled | pod creates/s | create->bound p50 / p99 | bound | violations | cores during the run | scheduler RSS |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
  writeFileSync(join(here, 'results.md'), md);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim());
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.name)) : SCENARIOS;
  const results: Figures[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario));
  writeResults(results);
  console.log(JSON.stringify(results, null, 2));
}

await main();
