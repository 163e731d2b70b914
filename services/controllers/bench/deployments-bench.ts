/**
 * Controller-manager benchmark (issue 5, acceptance 7): on simulated nodes (cri-fake),
 * 100 Deployments of 10 replicas; how long until all 1,000 pods are Running and every
 * Deployment reports 10 available replicas, and what the controller-manager spent on it
 * (CPU time from /proc/<pid>/stat, memory from /proc/<pid>/status).
 *
 * Every component is a real process from the built dists, started by the built
 * `tkube up --runtime fake --nodes 10` on loopback: nats-server (JetStream), the
 * apiserver, the scheduler, the controller-manager, and per node cri-fake, cni-bridge and
 * a kubelet (110 pods each, so 10 nodes hold the 1,000 pods). The Deployments are POSTed
 * to the REST API with bounded concurrency; watches of pods, ReplicaSets and Deployments
 * time the rollout. A second scenario then creates 1,000 pods that no node can take, to
 * time the controllers alone, without the scheduler's and kubelets' work.
 *
 * Run from services/controllers: `node --experimental-strip-types bench/deployments-bench.ts`
 * (after the build). BENCH_DEPLOYMENTS, BENCH_REPLICAS, BENCH_NODES change the size;
 * BENCH_PENDING=0 skips the second scenario; BENCH_KEEP_LOGS=DIR keeps the cluster's logs.
 * Writes bench/results.md and bench/results.json.
 */
import { tmpdir } from 'node:os';
import { describeMachine, loadAverages } from '../../../bench-kit/machine.ts';
import { restClient } from '../../../bench-kit/rest-client.ts';
import { componentPids, createDataDir, startCluster, teardown } from '../../../bench-kit/tkube-cluster.ts';
import { idleCores } from './idle-cpu.ts';
import { keepLogs } from './keep-logs.ts';
import { summarizeLog } from './log-summary.ts';
import { unusedNetwork } from './network-plan.ts';
import { watchedProcessFigures } from './process-figures.ts';
import { type BenchResults, type ScenarioFigures, writeResults } from './results.ts';
import { runScenario, type ScenarioContext, type ScenarioPlan } from './scenario.ts';

const DEPLOYMENTS = positiveEnv('BENCH_DEPLOYMENTS', 100);
const REPLICAS = positiveEnv('BENCH_REPLICAS', 10);
/** 110 pods per kubelet (its default --max-pods): 10 nodes hold 1,100. */
const NODES = positiveEnv('BENCH_NODES', 10);
const CREATE_CONCURRENCY = 10;
const ROLLOUT_DEADLINE_MS = 420_000;
const PENDING_DEADLINE_MS = 120_000;
/** Start, scenarios and figures; the teardown (bounded on its own) comes after. */
const RUN_DEADLINE_MS = 600_000;
/** A last resort, should the teardown itself hang past its own timeouts. */
const HARD_DEADLINE_MS = 900_000;
const IDLE_WINDOW_MS = 5_000;
const CONTROLLER_MANAGER = 'controller-manager';
const BENCH_CLIENT = 'bench client';

function positiveEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function log(message: string): void {
  console.log(`bench: ${message}`);
}

const benchStart = performance.now();

/** A scenario's deadline, cut short so the whole run stays within RUN_DEADLINE_MS. */
function deadline(ms: number): number {
  return Math.max(1_000, Math.min(ms, RUN_DEADLINE_MS - (performance.now() - benchStart)));
}

async function main(): Promise<void> {
  const machine = describeMachine();
  log(`${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}; load ${loadAverages().join(' ')}`);
  const dataDir = createDataDir('cm-bench');
  let closeClient = () => {};
  try {
    log(`starting the cluster (tkube up --runtime fake --nodes ${NODES}) in ${dataDir} ...`);
    const network = await unusedNetwork(NODES);
    const cluster = await startCluster(dataDir, [
      '--runtime',
      'fake',
      '--nodes',
      String(NODES),
      '--cluster-cidr',
      network.clusterCidr,
      '--bridge-prefix',
      network.bridgePrefix,
    ]);
    log(`cluster up in ${cluster.upSeconds} s (pods in ${network.clusterCidr})`);
    // The benchmark's own process (its client and watches) is measured with the cluster's.
    const pids: Record<string, number> = { ...componentPids(dataDir), [BENCH_CLIENT]: process.pid };
    const cmPid = pids[CONTROLLER_MANAGER];
    if (cmPid === undefined) throw new Error(`no ${CONTROLLER_MANAGER}.pid in ${dataDir}/run`);
    log(`${Object.keys(pids).length} processes: ${Object.keys(pids).sort().join(', ')}`);
    const clusterProcesses = Object.keys(pids).length - 1;
    const client = restClient(cluster.restUrl, cluster.caCert, cluster.token);
    closeClient = client.close;
    const context: ScenarioContext = { client, pids, watched: CONTROLLER_MANAGER, cores: machine.cores, log };

    log(`measuring the idle controller-manager for ${IDLE_WINDOW_MS / 1000} s ...`);
    const idleBefore = await idleCores(cmPid, IDLE_WINDOW_MS);

    const plans: ScenarioPlan[] = [
      {
        name: 'rollout',
        namespace: 'cm-bench',
        deployments: DEPLOYMENTS,
        replicas: REPLICAS,
        createConcurrency: CREATE_CONCURRENCY,
        goal: 'available',
        deadlineMs: ROLLOUT_DEADLINE_MS,
      },
      ...(process.env.BENCH_PENDING === '0'
        ? []
        : [
            {
              name: 'unschedulable',
              namespace: 'cm-bench-pending',
              deployments: DEPLOYMENTS,
              replicas: REPLICAS,
              createConcurrency: CREATE_CONCURRENCY,
              goal: 'created' as const,
              deadlineMs: PENDING_DEADLINE_MS,
            },
          ]),
    ];
    const scenarios: ScenarioFigures[] = [];
    let idleAfterRollout = Number.NaN;
    for (const plan of plans) {
      const result = await runScenario({ ...plan, deadlineMs: deadline(plan.deadlineMs) }, context);
      scenarios.push({ ...result, controllerManager: watchedProcessFigures(result.sampled, CONTROLLER_MANAGER) });
      if (plan.name === 'rollout') {
        log(`measuring the controller-manager with the pods running for ${IDLE_WINDOW_MS / 1000} s ...`);
        idleAfterRollout = await idleCores(cmPid, IDLE_WINDOW_MS);
      }
    }

    const results: BenchResults = {
      date: new Date().toISOString(),
      machine,
      setup: { nodes: NODES, processes: clusterProcesses, clusterUpSeconds: cluster.upSeconds },
      controllerManagerIdleCores: { before: idleBefore, afterRollout: idleAfterRollout },
      scenarios,
      controllerManagerLog: summarizeLog(dataDir, CONTROLLER_MANAGER),
    };
    writeResults(results);
    log('results written to bench/results.md and bench/results.json');
    const kept = keepLogs(dataDir, process.env.BENCH_KEEP_LOGS);
    if (kept) log(`the cluster's logs are kept in ${kept}`);
    if (scenarios.some((s) => !s.rollout.complete)) process.exitCode = 1;
  } finally {
    closeClient();
    log('tearing the cluster down (tkube down --purge) ...');
    const problems = await teardown(dataDir);
    for (const problem of problems) log(`teardown: ${problem}`);
    log('cluster gone');
  }
}

// Bounded in time whatever hangs; normally the teardown in main()'s finally ends well before this.
const overall = setTimeout(() => {
  console.error(
    `bench: gave up after ${HARD_DEADLINE_MS / 1000} s; a cluster may be left in ${tmpdir()}/tkube-cm-bench-*`,
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
