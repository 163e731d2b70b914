/** The benchmark's figures as bench/results.json and a readable bench/results.md. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Machine } from '../../../bench-kit/machine.ts';
import type { Distribution } from '../../../bench-kit/stats.ts';
import type { LogSummary } from './log-summary.ts';
import type { WatchedProcessFigures } from './process-figures.ts';
import { SAMPLE_INTERVAL_MS } from './process-sampler.ts';
import type { ScenarioResult } from './scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));

export interface ScenarioFigures extends ScenarioResult {
  controllerManager: WatchedProcessFigures;
}

export interface BenchResults {
  date: string;
  machine: Machine;
  setup: { nodes: number; processes: number; clusterUpSeconds: number };
  /** Its cores over 5 s with nothing to do, and with the rollout's pods running. */
  controllerManagerIdleCores: { before: number; afterRollout: number };
  scenarios: ScenarioFigures[];
  controllerManagerLog: LogSummary;
}

export function writeResults(results: BenchResults): void {
  // The per-interval timeline is for the JSON only; NaN (not reached) becomes null there.
  writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(here, 'results.md'), markdown(results));
}

function s(n: number): string {
  return Number.isFinite(n) ? `${n.toFixed(2)} s` : 'not reached';
}

function ms(d: Distribution): string {
  return d.count === 0 ? 'n/a' : `${d.p50} / ${d.p90} / ${d.p99} / ${d.max} ms (n=${d.count})`;
}

function markdown(r: BenchResults): string {
  const rollout = r.scenarios.find((x) => x.plan.goal === 'available');
  const pending = r.scenarios.find((x) => x.plan.goal === 'created');
  const plan = rollout?.plan ?? pending?.plan;
  const pods = plan ? plan.deployments * plan.replicas : 0;
  const { machine } = r;
  const problems = r.controllerManagerLog.problems;
  return `# controller-manager benchmark

Written by \`node --experimental-strip-types bench/deployments-bench.ts\` in services/controllers
(after the build) on ${r.date}.

**What was measured.** A throwaway cluster from the built \`tkube up --runtime fake --nodes ${r.setup.nodes}\`,
all on loopback: nats-server (JetStream), the apiserver, the scheduler and the controller-manager, and
per node a cri-fake (containers simulated in memory; it hands out the pod IPs), a cni-bridge and a
kubelet (110 pods each): ${r.setup.processes} real processes, nothing mocked but the containers.
${plan?.deployments} Deployments of ${plan?.replicas} replicas (busybox:1.35 \`sleep 3600\`, no resource requests) are
POSTed to the REST API, ${plan?.createConcurrency} at a time. Watches of the namespace's pods, ReplicaSets and
Deployments time everything from the first POST sent: when each Deployment's ReplicaSet appeared, when
each pod appeared, was bound to a node (spec.nodeName) and was Running (status.phase), and when each
Deployment reported availableReplicas ${plan?.replicas}. The controller-manager's CPU time is utime + stime from
/proc/<pid>/stat over that window; its memory is VmRSS and VmHWM (the kernel's high-water mark) from
/proc/<pid>/status at the end, and the largest VmRSS sampled every ${SAMPLE_INTERVAL_MS} ms. Every other
process is measured the same way, for context. The second scenario repeats the creates with pods
no node can take (a nodeSelector no node matches): the deployment and ReplicaSet controllers' work
without the scheduler's and the kubelets'.

**Machine:** ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB memory, Node ${machine.node}, ${machine.platform};
shared with other work, so its load is given per scenario. \`tkube up\` took ${r.setup.clusterUpSeconds} s.

${rollout ? headline(rollout, pods, r) : ''}
${rollout ? whereTheTimeGoes(rollout, pending, machine.cores) : ''}
${r.scenarios.map((x) => scenarioSection(x, machine.cores)).join('\n')}
## The controller-manager's log

${r.controllerManagerLog.lines} lines; ${problems.length === 0 ? 'no warnings or errors.' : `warnings and errors: ${problems.map((p) => `${p.count} x "${p.msg}"`).join('; ')}.`}
`;
}

function headline(x: ScenarioFigures, pods: number, r: BenchResults): string {
  const cm = x.controllerManager;
  const ro = x.rollout;
  return `## Result: ${pods} pods${ro.complete ? '' : ' (**NOT complete: deadline**)'}

| figure | value |
| --- | --- |
| **all ${pods} pods Running** | **${s(ro.seconds.allPodsRunning)}** after the first Deployment POST |
| **all ${x.plan.deployments} Deployments availableReplicas ${x.plan.replicas}** | **${s(ro.seconds.allDeploymentsAvailable)}** |
| **controller-manager CPU time (utime + stime)** | **${cm.cpuSeconds} s** in ${cm.wallSeconds} s: **${cm.percentOfOneCore} %** of one core |
| **controller-manager memory at the end: VmRSS / VmHWM** | **${cm.rssMiBAtEnd} MiB / ${cm.hwmMiB} MiB** |
| controller-manager, largest VmRSS sampled | ${cm.peakSampledRssMiB} MiB |
| controller-manager idle (5 s): before / with the pods running | ${r.controllerManagerIdleCores.before} / ${r.controllerManagerIdleCores.afterRollout} cores |
`;
}

function scenarioSection(x: ScenarioFigures, cores: number): string {
  const ro = x.rollout;
  const cm = x.controllerManager;
  const pods = x.plan.deployments * x.plan.replicas;
  const groups = Object.entries(x.processGroups).sort((a, b) => b[1].cpuSeconds - a[1].cpuSeconds);
  const running = ro.goal === 'available';
  return `## Scenario "${x.plan.name}": ${running ? 'rollout to Running' : 'unschedulable pods (controllers only)'}${ro.complete ? '' : ' - **NOT complete (deadline)**'}

Machine during it: ${x.machineBusyCores ?? 'n/a'} of ${cores} cores busy, ${otherWork(x)} of them by work outside the cluster and
the benchmark (other programs on the machine); some task waited for a CPU ${x.cpuPressurePercent ?? 'n/a'} % of the time (PSI);
load average ${x.loadBefore.join(' / ')} before, ${x.loadAfter.join(' / ')} after. The apiserver answered a small
GET (sent every 500 ms) in ${ms(x.apiserverGetMs)} (p50 / p90 / p99 / max).
Writes seen on the watches: ${Object.entries(ro.events)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ')}.

| milestone (from the first POST) | time |
| --- | --- |
| ${x.plan.deployments} Deployments created (last POST answered) | ${s(ro.seconds.deploymentsCreated)} |
| all ${pods} pods created (seen on the watch) | ${s(ro.seconds.allPodsCreated)} (${ro.podsSeen} seen; ${ro.podCreatesPerSecond} pods/s first to last) |
${
  running
    ? `| all ${pods} pods scheduled | ${s(ro.seconds.allPodsScheduled)} (${ro.podsScheduled}) |
| all ${pods} pods Running | ${s(ro.seconds.allPodsRunning)} (${ro.podsRunning}) |
| all ${x.plan.deployments} Deployments available | ${s(ro.seconds.allDeploymentsAvailable)} (${ro.deploymentsAvailable}) |
`
    : ''
}
| interval | p50 / p90 / p99 / max |
| --- | --- |
| Deployment POST -> its ReplicaSet seen (deployment controller) | ${ms(ro.deploymentMs.postToReplicaSet)} |
| ReplicaSet seen -> its ${x.plan.replicas}th pod seen (ReplicaSet controller) | ${ms(ro.deploymentMs.replicaSetToAllPodsCreated)} |
| Deployment POST -> its ${x.plan.replicas}th pod seen | ${ms(ro.deploymentMs.postToAllPodsCreated)} |
${
  running
    ? `| Deployment POST -> availableReplicas ${x.plan.replicas} | ${ms(ro.deploymentMs.postToAvailable)} |
| pod created -> scheduled | ${ms(ro.podMs.createdToScheduled)} |
| pod scheduled -> Running | ${ms(ro.podMs.scheduledToRunning)} |
| pod created -> Running | ${ms(ro.podMs.createdToRunning)} |
`
    : ''
}
Controller-manager: ${cm.cpuSeconds} CPU s in ${cm.wallSeconds} s (${cm.percentOfOneCore} % of one core); busiest ${SAMPLE_INTERVAL_MS} ms
interval ${cm.busiestIntervalCores} cores, ${cm.intervalsAtOneCore} of ${cm.intervals} intervals at 0.9 core or more; VmRSS ${cm.rssMiBAtEnd} MiB,
VmHWM ${cm.hwmMiB} MiB at the end.

| process | count | CPU s | cores | RSS at the end (sum) |
| --- | --- | --- | --- | --- |
${groups.map(([name, g]) => `| ${name} | ${g.processes} | ${g.cpuSeconds} | ${g.cores} | ${g.rssMiB} MiB |`).join('\n')}
`;
}

/** Cores the machine was busy beyond the processes measured (cluster and benchmark). */
function otherWork(x: ScenarioFigures): string {
  if (x.machineBusyCores === undefined) return 'n/a';
  const measured = Object.values(x.processGroups).reduce((t, g) => t + g.cores, 0);
  return Math.max(0, x.machineBusyCores - measured).toFixed(2);
}

/** What the figures say about the bottleneck, in words: the same sentences each run, the numbers of this one. */
function whereTheTimeGoes(rollout: ScenarioFigures, pending: ScenarioFigures | undefined, cores: number): string {
  const cm = rollout.controllerManager;
  const groups = rollout.processGroups;
  const nodeCores =
    (groups.kubelets?.cores ?? 0) + (groups['cri-fake']?.cores ?? 0) + (groups['cni-bridge']?.cores ?? 0);
  const pods = rollout.plan.deployments * rollout.plan.replicas;
  const lines = [
    '## Where the time goes',
    '',
    `In the rollout the controller-manager used ${cm.percentOfOneCore} % of one core and never a full core (busiest`,
    `${SAMPLE_INTERVAL_MS} ms interval: ${cm.busiestIntervalCores} cores), so it did not limit the pace. The node processes (kubelets,`,
    `cri-fake, cni-bridge) used ${nodeCores.toFixed(2)} of the ${cores} cores, the apiserver ${groups.apiserver?.cores ?? 'n/a'}; the machine was`,
    `${rollout.machineBusyCores ?? 'n/a'} cores busy and some task waited for a CPU ${rollout.cpuPressurePercent ?? 'n/a'} % of the time, and the apiserver's`,
    `answer to a small GET took p50 ${rollout.apiserverGetMs.p50} ms / p99 ${rollout.apiserverGetMs.p99} ms.`,
    'Each controller sync is a few sequential round trips to the apiserver (the deployment controller creates the',
    "ReplicaSet and writes the Deployment's status; the ReplicaSet controller creates pods in slow-start batches",
    'of 1, 2, 4, 3 and writes its status), with 5 workers per controller, as in kube: their pace follows the',
    "apiserver's answer time, hence the wait between a Deployment's POST and its ReplicaSet",
    `(p50 ${rollout.rollout.deploymentMs.postToReplicaSet.p50} ms) and between that and its ${rollout.plan.replicas}th pod (p50 ${rollout.rollout.deploymentMs.replicaSetToAllPodsCreated.p50} ms).`,
  ];
  if (pending) {
    lines.push(
      `Without the scheduler's and kubelets' work (scenario "${pending.plan.name}") the same controllers created the`,
      `${pods} pods in ${s(pending.rollout.seconds.allPodsCreated)} (${pending.rollout.podCreatesPerSecond} pods/s) against ${s(rollout.rollout.seconds.allPodsCreated)} (${rollout.rollout.podCreatesPerSecond} pods/s) in the`,
      `rollout, with the apiserver answering a GET in p50 ${pending.apiserverGetMs.p50} ms, the controller-manager using`,
      `${pending.controllerManager.percentOfOneCore} % of one core.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
