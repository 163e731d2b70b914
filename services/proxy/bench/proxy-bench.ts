/**
 * Proxy benchmark (issue 6, acceptance 5): requests per second and the latency a ClusterIP
 * adds over the pod IP directly, from the host, on a real cluster.
 *
 * The built `tkube up` (Docker runtime, one node, a network slot of its own) runs a
 * Deployment of busybox httpd pods, each serving its hostname, behind a ClusterIP Service
 * (80 -> 8080). The node's tkube-proxy programs the host's nat table; the host reaches pod
 * IPs over the node's bridge and the ClusterIP through the proxy's OUTPUT rules (DNAT to a
 * pod, picked at random). Node's http client then sends GETs, each on a new connection, to
 * the pod IPs:8080 directly (in turn) and to ClusterIP:80, in rounds that alternate which
 * path goes first, one at a time and CONCURRENCY at a time. Traffic goes only to this cluster's pod IPs and ClusterIP.
 *
 * Run from services/proxy, as root, after the build:
 *   node --experimental-strip-types bench/proxy-bench.ts
 * BENCH_ROUNDS, BENCH_SEQUENTIAL and BENCH_CONCURRENT (requests per path per round) and
 * BENCH_CONCURRENCY change the size. Writes bench/results.md and bench/results.json.
 */
import { tmpdir } from 'node:os';
import { describeMachine, loadAverages, measureMachineBusyCores } from '../../../bench-kit/machine.ts';
import { restClient } from '../../../bench-kit/rest-client.ts';
import { createDataDir, startCluster, teardown } from '../../../bench-kit/tkube-cluster.ts';
import { type Mode, modeSummary, type Path, type RoundFigures, runFigures } from './figures.ts';
import { type Target, timedGet } from './http-get.ts';
import { type LoadPlan, runLoad } from './load-run.ts';
import { unusedNetwork } from './network-plan.ts';
import { countNatRules, waitForEndpointRules } from './proxy-rules.ts';
import { type BenchResults, writeResults } from './results.ts';
import { growth, hostCounters, podCounters } from './tcp-counters.ts';
import { APP, createWorkload, NAMESPACE, POD_PORT, SERVICE_PORT, waitUntilReady } from './workload.ts';

const REPLICAS = 2;
const ROUNDS = positiveEnv('BENCH_ROUNDS', 8);
const SEQUENTIAL = positiveEnv('BENCH_SEQUENTIAL', 750);
const CONCURRENT = positiveEnv('BENCH_CONCURRENT', 1500);
const CONCURRENCY = positiveEnv('BENCH_CONCURRENCY', 8);
/** No run sends a new request after this long, whatever its count. */
const RUN_TIME_CAP_MS = 10_000;
/** No round starts after the rounds have run this long: a slow machine gets fewer rounds, not a longer run. */
const MEASURE_BUDGET_MS = 150_000;
const WARMUP_REQUESTS = 50;
const READY_DEADLINE_MS = 60_000;
/** How long the proxy may take to make the ClusterIP answer once the endpoints are there. */
const CLUSTER_IP_DEADLINE_MS = 15_000;
/** A last resort, should something hang past its own timeouts; the teardown normally ends long before. */
const HARD_DEADLINE_MS = 540_000;

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function log(message: string): void {
  console.log(`bench: ${message}`);
}

/** Retries one GET until it answers: the proxy follows the endpoints within a second or so. */
async function firstAnswer(target: Target, deadlineMs: number): Promise<number> {
  const started = performance.now();
  let last = '';
  while (performance.now() - started < deadlineMs) {
    const result = await timedGet(target);
    if (result.ok) return Math.round(performance.now() - started);
    last = result.error;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${target.host}:${target.port} did not answer within ${deadlineMs / 1000} s: ${last}`);
}

/** Every answered request's latency, per mode and path, for the pooled percentiles. */
const pooled: Record<Mode, Record<Path, number[]>> = {
  sequential: { podIP: [], clusterIP: [] },
  concurrent: { podIP: [], clusterIP: [] },
};

async function measureMode(
  mode: Mode,
  targets: Record<Path, Target[]>,
  plan: LoadPlan,
  budgetEndsAt: number,
): Promise<RoundFigures[]> {
  const rounds: RoundFigures[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    if (performance.now() > budgetEndsAt) {
      log(`${mode}: the time budget is spent, ${round - 1} of ${ROUNDS} rounds run`);
      break;
    }
    const order: Path[] = round % 2 === 1 ? ['podIP', 'clusterIP'] : ['clusterIP', 'podIP'];
    const [first = 'podIP'] = order;
    const figures: Partial<Record<Path, ReturnType<typeof runFigures>>> = {};
    const raw: Partial<Record<Path, number[]>> = {};
    for (const path of order) {
      const run = await runLoad(targets[path], plan);
      figures[path] = runFigures(run);
      raw[path] = run.latenciesMs;
    }
    const { podIP, clusterIP } = figures;
    if (!podIP || !clusterIP) throw new Error('a round ran without both paths');
    rounds.push({ mode, round, first, podIP, clusterIP });
    pooled[mode].podIP.push(...(raw.podIP ?? []));
    pooled[mode].clusterIP.push(...(raw.clusterIP ?? []));
    log(
      `${mode} round ${round}: pod IP ${podIP.requestsPerSecond} req/s p50 ${podIP.latencyMs.p50} ms, ` +
        `ClusterIP ${clusterIP.requestsPerSecond} req/s p50 ${clusterIP.latencyMs.p50} ms` +
        (podIP.failed + clusterIP.failed > 0 ? ` (${podIP.failed + clusterIP.failed} failed)` : ''),
    );
  }
  return rounds;
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const loadBefore = loadAverages();
  log(`${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}; load ${loadBefore.join(' ')}`);
  const network = await unusedNetwork();
  const dataDir = createDataDir('proxy-bench');
  let closeClient = () => {};
  try {
    log(
      `starting the cluster (tkube up, bridge ${network.bridge}, pods ${network.clusterCidr}, services ${network.serviceCidr}) in ${dataDir} ...`,
    );
    const cluster = await startCluster(dataDir, [
      '--cluster-cidr',
      network.clusterCidr,
      '--bridge-prefix',
      network.bridgePrefix,
      '--service-cidr',
      network.serviceCidr,
      '--service-node-port-range',
      network.nodePortRange,
    ]);
    log(`cluster up in ${cluster.upSeconds} s`);
    const client = restClient(cluster.restUrl, cluster.caCert, cluster.token);
    closeClient = client.close;

    const createdAt = performance.now();
    const clusterIP = await createWorkload(client, REPLICAS);
    const workload = await waitUntilReady(client, clusterIP, REPLICAS, READY_DEADLINE_MS);
    const readySeconds = Math.round((performance.now() - createdAt) / 100) / 10;
    log(
      `${REPLICAS} pods ready in ${readySeconds} s (${workload.pods.map((p) => `${p.name} ${p.ip}`).join(', ')}); ClusterIP ${clusterIP}`,
    );
    // The direct path takes the pod IPs in turn, so that both paths spread the load over the
    // same pods and differ only by the proxy's DNAT (one pod would serve 8 in flight alone).
    const targets: Record<Path, Target[]> = {
      podIP: workload.pods.map((pod) => ({ host: pod.ip, port: POD_PORT })),
      clusterIP: [{ host: clusterIP, port: SERVICE_PORT }],
    };
    const firstClusterIPAnswerMs = await firstAnswer({ host: clusterIP, port: SERVICE_PORT }, CLUSTER_IP_DEADLINE_MS);
    // tkube up gives the node's tkube-proxy and cri-docker the same --instance: <node>@<bridge>.
    // `tkube up` names its first node tkube-node-1.
    const nodeInstance = `tkube-node-1@${network.bridge}`;
    const endpointRulesWaitMs = await waitForEndpointRules(
      nodeInstance,
      targets.podIP.map((t) => `${t.host}:${t.port}`),
      CLUSTER_IP_DEADLINE_MS,
    );
    const natRules = await countNatRules(nodeInstance, `${NAMESPACE}/${APP}`);
    log(
      `nat rules of the proxy (${natRules.prefix}): ${natRules.rules} (${natRules.serviceRules} for the Service); TKP lines on the host: ${natRules.hostTkpLines}`,
    );

    // New connections prime ARP, the route cache and the pods' httpd before anything is timed.
    const warmup = { requests: WARMUP_REQUESTS, concurrency: 1, timeCapMs: RUN_TIME_CAP_MS };
    await runLoad(targets.podIP, warmup);
    const warmupClusterIP = await runLoad(targets.clusterIP, warmup);
    log(`warm-up: the ClusterIP's answers came from ${JSON.stringify(warmupClusterIP.answeredBy)}`);
    if (Object.keys(warmupClusterIP.answeredBy).length !== REPLICAS)
      log('warning: the ClusterIP did not reach every pod');

    const readPodCounters = () => Promise.all(workload.pods.map((pod) => podCounters(nodeInstance, pod.name)));
    const podsBefore = await readPodCounters();
    const hostBefore = hostCounters();
    const busy = measureMachineBusyCores(machine.cores);
    const cpuBefore = process.cpuUsage();
    const measureStarted = performance.now();
    const sequential = await measureMode(
      'sequential',
      targets,
      {
        requests: SEQUENTIAL,
        concurrency: 1,
        timeCapMs: RUN_TIME_CAP_MS,
      },
      measureStarted + MEASURE_BUDGET_MS / 2,
    );
    const concurrent = await measureMode(
      'concurrent',
      targets,
      {
        requests: CONCURRENT,
        concurrency: CONCURRENCY,
        timeCapMs: RUN_TIME_CAP_MS,
      },
      measureStarted + MEASURE_BUDGET_MS,
    );
    const measureSeconds = (performance.now() - measureStarted) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const machineBusyCores = busy();
    const hostGrowth = growth(hostBefore, hostCounters());
    const podsAfter = await readPodCounters();
    const podGrowth = workload.pods.map((pod, i) => ({ pod: pod.name, grown: growth(podsBefore[i], podsAfter[i]) }));
    const paws = podGrowth.reduce((t, p) => t + (p.grown?.['TcpExt.PAWSTimewait'] ?? 0), 0);
    log(
      `SYNs refused by the pods' TIME_WAIT (PAWS): ${paws}; host SYN retransmissions ${hostGrowth?.['TcpExt.TCPSynRetrans'] ?? 'n/a'}, lost again ${hostGrowth?.['TcpExt.TCPLostRetransmit'] ?? 'n/a'}`,
    );

    const results: BenchResults = {
      date: new Date().toISOString(),
      machine,
      load: { before: loadBefore, after: loadAverages() },
      measurement: {
        seconds: Math.round(measureSeconds * 10) / 10,
        machineBusyCores,
        clientCores: Math.round(((cpu.user + cpu.system) / 1e6 / measureSeconds) * 100) / 100,
        hostTcpCounters: hostGrowth,
        podTcpCounters: podGrowth,
      },
      setup: {
        clusterUpSeconds: cluster.upSeconds,
        network,
        replicas: REPLICAS,
        workloadReadySeconds: readySeconds,
        firstClusterIPAnswerMs,
        endpointRulesWaitMs,
        pods: workload.pods,
        clusterIP,
        podTargets: targets.podIP.map((t) => `${t.host}:${t.port}`),
        clusterIPTarget: `${clusterIP}:${SERVICE_PORT}`,
      },
      natRules,
      plan: {
        rounds: ROUNDS,
        sequentialPerRound: SEQUENTIAL,
        concurrentPerRound: CONCURRENT,
        concurrency: CONCURRENCY,
        runTimeCapSeconds: RUN_TIME_CAP_MS / 1000,
        measureBudgetSeconds: MEASURE_BUDGET_MS / 1000,
        warmupRequests: WARMUP_REQUESTS,
      },
      rounds: [...sequential, ...concurrent],
      summary: {
        sequential: modeSummary(sequential, pooled.sequential),
        concurrent: modeSummary(concurrent, pooled.concurrent),
      },
    };
    writeResults(results);
    log('results written to bench/results.md and bench/results.json');
    const failed = results.rounds.reduce((t, r) => t + r.podIP.failed + r.clusterIP.failed, 0);
    if (failed > 0) {
      log(`${failed} requests failed`);
      process.exitCode = 1;
    }
  } finally {
    closeClient();
    log('tearing the cluster down (tkube down --purge) ...');
    const problems = await teardown(dataDir);
    for (const problem of problems) log(`teardown: ${problem}`);
    log('cluster gone');
  }
}

const overall = setTimeout(() => {
  console.error(
    `bench: gave up after ${HARD_DEADLINE_MS / 1000} s; a cluster may be left in ${tmpdir()}/tkube-proxy-bench-* (tkube down --purge --data-dir it)`,
  );
  process.exit(1);
}, HARD_DEADLINE_MS);
overall.unref();
try {
  await main();
} catch (err) {
  console.error(`bench: failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
}
