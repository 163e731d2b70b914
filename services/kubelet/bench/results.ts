/**
 * The benchmark's figures: per-pod samples reduced to distributions and a per-phase split,
 * written to results.json (every run kept, latest first, raw samples for the latest only)
 * and results.md (a table of the runs, the latest one in detail).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { PodDockerTimes } from './docker-events.ts';
import type { EngineFloor } from './engine-floor.ts';
import type { CpuUse } from './machine.ts';
import { between, type Distribution, distribution } from './stats.ts';

const GOAL_P50_MS = 500;
const GOAL_P99_MS = 1500;
const KUBE_SLO_P99_MS = 5000;
const RUNS_KEPT = 8;
/**
 * Cores used by other work (outside tkube, Docker, the kernel's threads and the benchmark),
 * during the run or just before it, above which the figures are not an idle machine's. The
 * load average is no guide here: tasks blocked in the kernel count in it without using a core.
 */
const BUSY_OTHERS_CORES = 0.5;

export interface PodSample {
  name: string;
  sentAt?: number;
  ackedAt?: number;
  runningAt?: number;
  readyAt?: number;
  creationTimestamp?: string;
  startedAt?: string;
  docker: PodDockerTimes;
}

export interface PhaseFigures {
  phase: string;
  ms: Distribution;
}

export interface FloorFigures {
  pods: number;
  podMs: Distribution;
  podsPerSecond: number;
}

export interface RunFigures {
  date: string;
  pods: number;
  inFlight: number;
  clusterUpSeconds: number;
  /** Wall time of the 50 creates, and pods started per second over it. */
  wallSeconds: number;
  podsPerSecond: number;
  deleteSeconds: number;
  createdToRunningMs: Distribution;
  createdToReadyMs: Distribution;
  /** From the pod's own status: container startedAt - creationTimestamp (their resolution). */
  statusStartedMinusCreationMs: Distribution;
  statusTimestampResolution: string;
  phases: PhaseFigures[];
  /** The same, one pod at a time: no queue in front of any pod. */
  sequential: { pods: number; createdToRunningMs: Distribution; phases: PhaseFigures[] };
  /** The same container work straight on Docker with the same window: the engine's floor. */
  engineFloor: FloorFigures;
  /** And one at a time. */
  engineFloorSequential: FloorFigures;
  goalMet: boolean;
  machineCores: number;
  machine: {
    loadBefore: [number, number, number];
    loadAfter: [number, number, number];
    busy: boolean;
  };
  cpu: CpuUse;
  /** The same, over a few seconds with nothing starting: what the processes use by themselves. */
  idleCpu: CpuUse;
  kubeletProblems: Record<string, number>;
  samples?: PodSample[];
}

export interface SummaryInput {
  samples: PodSample[];
  sequential: PodSample[];
  floor: EngineFloor;
  floorSequential: EngineFloor;
  pods: number;
  inFlight: number;
  wallSeconds: number;
  deleteSeconds: number;
  upSeconds: number;
  loadBefore: [number, number, number];
  loadAfter: [number, number, number];
  cpu: CpuUse;
  idleCpu: CpuUse;
  kubeletProblems: Record<string, number>;
}

/** The phases, in order; each is measured between two instants of the same pod. */
const PHASES: ReadonlyArray<{
  phase: string;
  from: (s: PodSample) => number | undefined;
  to: (s: PodSample) => number | undefined;
}> = [
  { phase: 'POST sent -> 201 received (apiserver create)', from: (s) => s.sentAt, to: (s) => s.ackedAt },
  {
    phase: '201 -> pause container created (kubelet watch, pod worker, RunPodSandbox, docker create)',
    from: (s) => s.ackedAt,
    to: (s) => s.docker.sandboxCreated,
  },
  {
    phase: 'pause created -> started (docker start)',
    from: (s) => s.docker.sandboxCreated,
    to: (s) => s.docker.sandboxStarted,
  },
  {
    phase: 'pause started -> app container created (CNI Add, image check, CreateContainer, docker create)',
    from: (s) => s.docker.sandboxStarted,
    to: (s) => s.docker.containerCreated,
  },
  {
    phase: 'app created -> started (StartContainer, docker start)',
    from: (s) => s.docker.containerCreated,
    to: (s) => s.docker.containerStarted,
  },
  {
    phase: 'app started -> Running seen on the watch (kubelet status, PATCH, apiserver watch)',
    from: (s) => s.docker.containerStarted,
    to: (s) => s.runningAt,
  },
];

function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function resolutionOf(values: Array<string | undefined>): string {
  const fractional = values.filter((v) => v && /\.\d+/.test(v)).length;
  return fractional === 0 ? '1 s (RFC 3339 without fractions)' : 'sub-second';
}

function floorFigures(floor: EngineFloor): FloorFigures {
  return {
    pods: floor.podMs.length,
    podMs: distribution(floor.podMs),
    podsPerSecond: Number((floor.podMs.length / floor.wallSeconds).toFixed(2)),
  };
}

function phasesOf(samples: PodSample[]): PhaseFigures[] {
  return PHASES.map(({ phase, from, to }) => ({
    phase,
    ms: distribution(samples.map((s) => between(from(s), to(s)))),
  }));
}

export function summarize(input: SummaryInput): RunFigures {
  const { samples } = input;
  const createdToRunningMs = distribution(samples.map((s) => between(s.sentAt, s.runningAt)));
  const createdToReadyMs = distribution(samples.map((s) => between(s.sentAt, s.readyAt)));
  return {
    date: new Date().toISOString(),
    pods: input.pods,
    inFlight: input.inFlight,
    clusterUpSeconds: Number(input.upSeconds.toFixed(1)),
    wallSeconds: Number(input.wallSeconds.toFixed(2)),
    podsPerSecond: Number((input.pods / input.wallSeconds).toFixed(2)),
    deleteSeconds: Number(input.deleteSeconds.toFixed(2)),
    createdToRunningMs,
    createdToReadyMs,
    statusStartedMinusCreationMs: distribution(
      samples.map((s) => between(parseTime(s.creationTimestamp), parseTime(s.startedAt))),
    ),
    statusTimestampResolution: resolutionOf(samples.flatMap((s) => [s.creationTimestamp, s.startedAt])),
    phases: phasesOf(samples),
    sequential: {
      pods: input.sequential.length,
      createdToRunningMs: distribution(input.sequential.map((s) => between(s.sentAt, s.runningAt))),
      phases: phasesOf(input.sequential),
    },
    engineFloor: floorFigures(input.floor),
    engineFloorSequential: floorFigures(input.floorSequential),
    goalMet:
      createdToRunningMs.count === input.pods &&
      createdToRunningMs.p50 <= GOAL_P50_MS &&
      createdToRunningMs.p99 <= GOAL_P99_MS,
    machineCores: availableParallelism(),
    machine: {
      loadBefore: input.loadBefore,
      loadAfter: input.loadAfter,
      busy: input.cpu.others > BUSY_OTHERS_CORES || input.idleCpu.others > BUSY_OTHERS_CORES,
    },
    cpu: input.cpu,
    idleCpu: input.idleCpu,
    kubeletProblems: input.kubeletProblems,
    samples,
  };
}

function previousRuns(file: string): RunFigures[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { runs?: RunFigures[] };
    return Array.isArray(data.runs) ? data.runs : [];
  } catch {
    return [];
  }
}

export function writeResults(dir: string, latest: RunFigures): void {
  const jsonFile = join(dir, 'results.json');
  const older = previousRuns(jsonFile).map(({ samples: _samples, ...rest }) => rest);
  const runs = [latest, ...older].slice(0, RUNS_KEPT);
  writeFileSync(jsonFile, `${JSON.stringify({ goal: { p50Ms: GOAL_P50_MS, p99Ms: GOAL_P99_MS }, runs }, null, 2)}\n`);
  writeFileSync(join(dir, 'results.md'), markdown(runs));
}

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');
const loads = (l: [number, number, number]) => l.map((v) => v.toFixed(2)).join(' / ');

function markdown(runs: RunFigures[]): string {
  const latest = runs[0];
  const lines: string[] = [];
  lines.push(
    '# kubelet pod startup benchmark',
    '',
    'Written by `npm run bench` in services/kubelet (`node --experimental-strip-types bench/pod-bench.ts`',
    'after `npm run build` at the root). A throwaway cluster from the built `tkube up`: one node (kubelet +',
    'cri-docker + cni-bridge processes) on the Docker engine, nats and the apiserver, all on this machine',
    '(2 cores, shared with other work). After 2 warm-up pods, 50 pods (busybox:1.35 `sleep 3600`, image',
    'present, imagePullPolicy IfNotPresent, spec.nodeName set) are created through the REST API with 10 in',
    'flight: each pod seen Running on one watch of the namespace lets the next be created.',
    '"created" is the instant the benchmark sends the POST, so the figures include the create itself.',
    'Then 10 pods one at a time (no queue in front of any pod), and last the engine floor: the same',
    'container work (pause container with no network, app container in its namespaces, create + start',
    'each) straight on the Docker API with 10 in flight, without tkube.',
    '',
    `Goal on this machine: p50 <= ${GOAL_P50_MS} ms and p99 <= ${GOAL_P99_MS} ms created -> Running.`,
    `Kubernetes' SLO: p99 <= ${KUBE_SLO_P99_MS / 1000} s for stateless pods with pre-pulled images.`,
    'With 50 pods, nearest-rank p99 is the largest sample.',
    '',
    '## Runs (latest first)',
    '',
    '| date (UTC) | other work, cores: before / during (load 1m) | created -> Running p50 | p90 | p99 | max | goal | Docker alone, 10 in flight: p50 / max | tkube, 1 at a time: p50 / max | Docker alone, 1 at a time: p50 / max |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const run of runs) {
    const r = run.createdToRunningMs;
    const one = run.sequential.createdToRunningMs;
    const floor = run.engineFloor.podMs;
    const floorOne = run.engineFloorSequential.podMs;
    const machine = `${run.idleCpu.others} / ${run.cpu.others} (${run.machine.loadBefore[0].toFixed(1)})${run.machine.busy ? ' busy' : ''}`;
    lines.push(
      `| ${run.date.slice(0, 19).replace('T', ' ')} | ${machine} | ${ms(r.p50)} | ${ms(r.p90)} | ${ms(r.p99)} | ${ms(r.max)} | ${run.goalMet ? 'met' : 'missed'} | ${ms(floor.p50)} / ${ms(floor.max)} | ${ms(one.p50)} / ${ms(one.max)} | ${ms(floorOne.p50)} / ${ms(floorOne.max)} |`,
    );
  }
  lines.push('', `## Latest run: ${latest.date}`, '');
  lines.push(...machineState(latest), '');
  lines.push(
    '| figure | n | p50 | p90 | p99 | max |',
    '| --- | --- | --- | --- | --- | --- |',
    row(`created -> Running (watch), ${latest.inFlight} in flight`, latest.createdToRunningMs),
    row(`created -> Ready (watch), ${latest.inFlight} in flight`, latest.createdToReadyMs),
    row(
      `status: startedAt - creationTimestamp (resolution ${latest.statusTimestampResolution})`,
      latest.statusStartedMinusCreationMs,
    ),
    row('created -> Running, one at a time', latest.sequential.createdToRunningMs),
    row(`engine floor: the same containers on Docker alone, ${latest.inFlight} in flight`, latest.engineFloor.podMs),
    row('engine floor, one at a time', latest.engineFloorSequential.podMs),
    '',
    `The 50 pods took ${latest.wallSeconds} s: ${latest.podsPerSecond} pods/s with ${latest.inFlight} in flight`,
    `(Docker alone: ${latest.engineFloor.podsPerSecond} pods/s). Deleting all the pods until the watch saw them gone took`,
    `${latest.deleteSeconds} s; \`tkube up\` took ${latest.clusterUpSeconds} s.`,
    '',
    '### Where the time goes',
    '',
    "Each phase is measured per pod between two instants: the benchmark's own clock for the POST and the",
    "watch, Docker's event stream (nanosecond times, same host clock) for the pause and app containers.",
    "The kubelet's log has no per-phase timings, so the split comes from the outside.",
    '',
    `| phase | ${latest.inFlight} in flight: p50 | p90 | p99 | max | one at a time: p50 | max |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...latest.phases.map((p, i) => {
      const one = latest.sequential.phases[i]?.ms;
      return `| ${p.phase} | ${ms(p.ms.p50)} | ${ms(p.ms.p90)} | ${ms(p.ms.p99)} | ${ms(p.ms.max)} | ${ms(one?.p50 ?? Number.NaN)} | ${ms(one?.max ?? Number.NaN)} |`;
    }),
    '',
    ...verdict(latest),
    '',
    '### CPU during the 50 pods (cores: CPU seconds per wall second; the machine has 2)',
    '',
    `- tkube: ${entries(latest.cpu.cluster)}`,
    `- container engine: ${entries(latest.cpu.engine)}`,
    `- their short-lived child processes (cni-bridge: ip, iptables, nsenter; shims: runc), by parent: ${entries(latest.cpu.children)}`,
    `- the benchmark itself: ${latest.cpu.benchmark}`,
    `- kernel threads (kworkers and the like; compare their idle share below): ${latest.cpu.kernel}`,
    `- everything else (the machine's busy time minus the above): ${latest.cpu.others}${latest.cpu.busiestOthers.length > 0 ? '; the busiest still running:' : ''}`,
    ...latest.cpu.busiestOthers.map((line) => `  - \`${line}\``),
    `- the whole machine (/proc/stat): ${latest.cpu.machine.busyCores} cores busy, ${latest.cpu.machine.iowaitCores} waiting for I/O,`,
    `  ${latest.cpu.machine.stealCores} stolen by the hypervisor`,
    `- pressure (PSI): some task waited for a CPU ${latest.cpu.pressurePercent.cpu}% of the time, for I/O ${latest.cpu.pressurePercent.io}%`,
    '',
    `For comparison, ${latest.idleCpu.wallSeconds.toFixed(1)} s before the 50 pods with nothing starting (2 pods running):`,
    `tkube ${entries(latest.idleCpu.cluster)}; engine ${entries(latest.idleCpu.engine)};`,
    `children ${entries(latest.idleCpu.children)}; kernel threads ${latest.idleCpu.kernel}; everything else ${latest.idleCpu.others};`,
    `machine ${latest.idleCpu.machine.busyCores} cores busy.`,
    '',
    '### Kubelet warnings and errors during the run',
    '',
    ...(Object.keys(latest.kubeletProblems).length === 0
      ? ['None.']
      : Object.entries(latest.kubeletProblems).map(([msg, n]) => `- ${n} x "${msg}"`)),
    '',
  );
  return `${lines.join('\n')}`;
}

function machineState(run: RunFigures): string[] {
  const state = [
    `Machine: ${run.machineCores} cores; load average (1/5/15 min) ${loads(run.machine.loadBefore)} before the 50 pods,`,
    `${loads(run.machine.loadAfter)} after (tasks blocked in the kernel count in it: no measure of CPU here). Other work`,
    `(outside tkube, Docker, kernel threads and the benchmark) used ${run.idleCpu.others} cores just before the run and`,
    `${run.cpu.others} during it; the whole machine was ${run.cpu.machine.busyCores} cores busy during it, with some task waiting`,
    `for a CPU ${run.cpu.pressurePercent.cpu}% of the time.`,
  ];
  if (run.machine.busy) {
    state.push(
      `**The machine was busy**: other work above ${BUSY_OTHERS_CORES} cores (other helpers' builds and tests), so these`,
      "figures are worse than an idle machine's.",
    );
  }
  return state;
}

function row(label: string, d: Distribution): string {
  return `| ${label} | ${d.count} | ${ms(d.p50)} | ${ms(d.p90)} | ${ms(d.p99)} | ${ms(d.max)} |`;
}

function entries(record: Record<string, number>): string {
  return (
    Object.entries(record)
      .sort((a, b) => b[1] - a[1])
      .map(([name, cores]) => `${name} ${cores}`)
      .join(', ') || 'n/a'
  );
}

/** Met or missed, and the phases that weigh most at p50 and at p99. */
function verdict(run: RunFigures): string[] {
  const r = run.createdToRunningMs;
  const byP50 = [...run.phases].sort((a, b) => b.ms.p50 - a.ms.p50);
  const byP99 = [...run.phases].sort((a, b) => b.ms.p99 - a.ms.p99);
  const sumP50 = run.phases.reduce((t, p) => t + (Number.isFinite(p.ms.p50) ? p.ms.p50 : 0), 0);
  const name = (p: PhaseFigures) => p.phase.split(' (')[0];
  const head = run.goalMet
    ? `**Goal met**: p50 ${ms(r.p50)} <= ${GOAL_P50_MS} ms and p99 ${ms(r.p99)} <= ${GOAL_P99_MS} ms.`
    : `**Goal missed**: p50 ${ms(r.p50)} (goal ${GOAL_P50_MS} ms), p99 ${ms(r.p99)} (goal ${GOAL_P99_MS} ms).`;
  const littlesLaw = run.inFlight / run.podsPerSecond;
  return [
    head,
    `With ${run.inFlight} pods always in flight, a pod's mean time is in-flight / throughput (Little's law):`,
    `${run.inFlight} / ${run.podsPerSecond} pods/s = ${ms(littlesLaw * 1000)}. Docker alone, with the same window, starts`,
    `${run.engineFloor.podsPerSecond} pods/s at p50 ${ms(run.engineFloor.podMs.p50)}: the engine's own floor for this window,`,
    `so tkube adds ${ms(r.p50 - run.engineFloor.podMs.p50)} at p50 on top of it. One at a time, a pod takes p50`,
    `${ms(run.sequential.createdToRunningMs.p50)} through tkube and ${ms(run.engineFloorSequential.podMs.p50)} on Docker alone`,
    `(tkube adds ${ms(run.sequential.createdToRunningMs.p50 - run.engineFloorSequential.podMs.p50)}).`,
    `At p50 the largest phases are "${name(byP50[0])}" (${ms(byP50[0].ms.p50)}) and "${name(byP50[1])}" (${ms(byP50[1].ms.p50)});`,
    `the phases' p50s add up to ${ms(sumP50)}. At p99 the largest are "${name(byP99[0])}" (${ms(byP99[0].ms.p99)})`,
    `and "${name(byP99[1])}" (${ms(byP99[1].ms.p99)}).`,
    '',
    ...cpuBudget(run),
  ];
}

/**
 * The CPU each pod costs tkube and Docker, and what it allows on this machine's cores: with
 * a window of N pods, Little's law puts the mean latency at N / rate, and the rate can be no
 * more than cores / CPU per pod.
 */
function cpuBudget(run: RunFigures): string[] {
  const sum = (r: Record<string, number>, keys?: string[]) =>
    Object.entries(r)
      .filter(([k]) => !keys || keys.includes(k))
      .reduce((t, [, v]) => t + v, 0);
  const perPodMs = (cores: number) => (cores * run.cpu.wallSeconds * 1000) / run.pods;
  const tkubeCores = sum(run.cpu.cluster) + sum(run.cpu.children, Object.keys(run.cpu.cluster));
  const dockerCores = sum(run.cpu.engine) + sum(run.cpu.children, Object.keys(run.cpu.engine));
  const tkubeMs = perPodMs(tkubeCores);
  const dockerMs = perPodMs(dockerCores);
  const ceiling = (run.machineCores * 1000) / (tkubeMs + dockerMs);
  const goalRate = run.inFlight / (GOAL_P50_MS / 1000);
  return [
    `CPU per pod during the run: tkube ${ms(tkubeMs)} (${perProcess(run.cpu.cluster, run.cpu.children, perPodMs)}),`,
    `Docker ${ms(dockerMs)} (${perProcess(run.cpu.engine, run.cpu.children, perPodMs)}).`,
    `On ${run.machineCores} cores with nothing else running that caps the rate at ${ceiling.toFixed(1)} pods/s, so with`,
    `${run.inFlight} in flight the mean created -> Running can be no less than ${ms((run.inFlight / ceiling) * 1000)}. A p50 of`,
    `${GOAL_P50_MS} ms with ${run.inFlight} in flight needs about ${goalRate} pods/s, i.e. at most ${ms((run.machineCores * 1000) / goalRate)} of CPU per pod`,
    'for tkube and Docker together.',
  ];
}

function perProcess(
  own: Record<string, number>,
  children: Record<string, number>,
  perPodMs: (cores: number) => number,
): string {
  return Object.entries(own)
    .map(([name, cores]) => ({ name, cores: cores + (children[name] ?? 0) }))
    .sort((a, b) => b.cores - a.cores)
    .map(({ name, cores }) => `${name} ${ms(perPodMs(cores))}`)
    .join(', ');
}
