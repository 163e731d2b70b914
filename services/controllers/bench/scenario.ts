/**
 * One timed scenario on a running cluster: in a fresh namespace, POST the Deployments with
 * bounded concurrency while watches of pods, ReplicaSets and Deployments follow the
 * rollout, and /proc follows every process; it ends at its goal or at its deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { loadAverages, measureCpuPressure, measureMachineBusyCores } from '../../../bench-kit/machine.ts';
import type { RestClient } from '../../../bench-kit/rest-client.ts';
import type { Distribution } from '../../../bench-kit/stats.ts';
import { followWatch } from './follow-watch.ts';
import { probeLatency } from './latency-probe.ts';
import { type GroupFigures, groupProcesses } from './process-groups.ts';
import { type SampledRun, sampleProcesses } from './process-sampler.ts';
import { type RolloutFigures, type RolloutGoal, rolloutFigures } from './rollout-figures.ts';
import { RolloutTracker } from './rollout-tracker.ts';
import { benchDeployment, benchNamespace, deploymentName, inParallel } from './workload.ts';

const PROGRESS_EVERY_MS = 5_000;

export interface ScenarioPlan {
  name: string;
  namespace: string;
  deployments: number;
  replicas: number;
  createConcurrency: number;
  goal: RolloutGoal;
  deadlineMs: number;
}

export interface ScenarioContext {
  client: RestClient;
  pids: Record<string, number>;
  /** The process whose CPU is also sampled per interval. */
  watched: string;
  cores: number;
  log: (message: string) => void;
}

export interface ScenarioResult {
  plan: ScenarioPlan;
  rollout: RolloutFigures;
  sampled: SampledRun;
  processGroups: Record<string, GroupFigures>;
  machineBusyCores: number | undefined;
  /** % of the run some runnable task waited for a CPU (PSI). */
  cpuPressurePercent: number | undefined;
  /** The apiserver's answer time to a small GET, sampled every 500 ms during the run. */
  apiserverGetMs: Distribution;
  loadBefore: number[];
  loadAfter: number[];
}

export async function runScenario(plan: ScenarioPlan, context: ScenarioContext): Promise<ScenarioResult> {
  const { client, log } = context;
  const base = `/namespaces/${plan.namespace}`;
  await client.send('POST', '/api/v1/namespaces', benchNamespace(plan.namespace));
  const tracker = new RolloutTracker(plan.deployments, plan.replicas);
  const watches = [
    followWatch(client, `/api/v1${base}/pods`, (t, o) => tracker.onPod(t, o)),
    followWatch(client, `/apis/apps/v1${base}/replicasets`, (t, o) => tracker.onReplicaSet(t, o)),
    followWatch(client, `/apis/apps/v1${base}/deployments`, (t, o) => tracker.onDeployment(t, o)),
  ];
  let start = performance.now();
  const progress = setInterval(() => {
    const c = tracker.counts();
    const elapsed = ((performance.now() - start) / 1000).toFixed(0);
    log(
      `${plan.name}: t=${elapsed}s ReplicaSets ${tracker.replicaSetSeen.size}, pods created ${c.podsSeen}, scheduled ${c.podsScheduled}, Running ${c.podsRunning}; Deployments available ${c.deploymentsAvailable}/${plan.deployments}`,
    );
  }, PROGRESS_EVERY_MS);
  try {
    await Promise.all(watches.map((w) => w.opened));
    const loadBefore = loadAverages();
    const machineBusy = measureMachineBusyCores(context.cores);
    const pressure = measureCpuPressure();
    const sampler = sampleProcesses(context.pids, context.watched);
    const latency = probeLatency(client, `/api/v1/namespaces/${plan.namespace}`);
    start = performance.now();
    const postedAt = new Map<string, number>();
    let deploymentsCreatedAt = start;
    log(
      `${plan.name}: creating ${plan.deployments} Deployments x ${plan.replicas}, ${plan.createConcurrency} at a time ...`,
    );
    const creating = inParallel(plan.deployments, plan.createConcurrency, async (i) => {
      postedAt.set(deploymentName(i), performance.now());
      const deployment = benchDeployment(plan.namespace, i, plan.replicas, plan.goal === 'created');
      await client.send('POST', `/apis/apps/v1${base}/deployments`, deployment);
    }).then(() => {
      deploymentsCreatedAt = performance.now();
      log(`${plan.name}: Deployments created in ${((deploymentsCreatedAt - start) / 1000).toFixed(2)} s`);
    });
    const goalReached = (
      plan.goal === 'created'
        ? tracker.until(() => tracker.allPodsCreated())
        : tracker
            .until(() => tracker.allPodsRunning())
            .then(() => {
              log(`${plan.name}: all pods Running after ${((performance.now() - start) / 1000).toFixed(2)} s`);
              return tracker.until(() => tracker.allDeploymentsAvailable());
            })
    ).then(() => 'done' as const);
    const deadline = sleep(plan.deadlineMs, 'deadline' as const, { ref: false });
    const [, finished] = await Promise.all([
      creating,
      Promise.race([goalReached, deadline, ...watches.map((w) => w.failed)]),
    ]);
    const sampled = sampler.stop();
    const apiserverGetMs = await latency.stop();
    if (finished === 'deadline') log(`${plan.name}: DEADLINE: goal not reached in ${plan.deadlineMs / 1000} s`);
    const rollout = rolloutFigures(tracker, start, postedAt, deploymentsCreatedAt, plan.replicas, plan.goal);
    log(`${plan.name}: ${JSON.stringify(rollout.seconds)}`);
    return {
      plan,
      rollout,
      sampled,
      processGroups: groupProcesses(sampled.processes),
      machineBusyCores: machineBusy(),
      cpuPressurePercent: pressure(),
      apiserverGetMs,
      loadBefore,
      loadAfter: loadAverages(),
    };
  } finally {
    clearInterval(progress);
    for (const watch of watches) watch.stop();
  }
}
