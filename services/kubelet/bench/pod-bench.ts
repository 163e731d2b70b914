/**
 * Pod startup benchmark: how long a pod takes from its create to Running on a real node
 * (kubelet + cri-docker + cni-bridge on the Docker engine), as Kubernetes' pod startup SLI
 * counts it (stateless pods, images already present, Running observed through a watch).
 *
 * `tkube up` (the BUILT cli) starts a throwaway cluster; after 2 warm-up pods, 50 pods
 * (busybox:1.35 `sleep 3600`) are created through the REST API with 10 in flight: each
 * Running seen on one watch of the namespace lets the next one be created. Docker's event
 * stream times each pod's pause and app container, which splits the startup into phases;
 * /proc gives the CPU each process used. Then 10 pods one at a time (latency with nothing
 * queued), the pods are deleted, and the same 50 pause+app container pairs are started
 * straight on Docker with 10 in flight, and 10 one at a time (the engine's floor, without
 * tkube). The cluster is torn down always, also on failure; everything is bounded in time.
 *
 * Run: `npm run bench` in services/kubelet (after `npm run build` at the root; as root, for
 * the bridge). Figures go to bench/results.md and bench/results.json beside this file; each
 * run is added to the ones kept there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeList, Pod } from '@tkube/api';
import {
  type BenchCluster,
  type ClusterHandle,
  logTail,
  NODE_NAME,
  planCluster,
  startCluster,
  teardown,
} from './bench-cluster.ts';
import { type PodDockerTimes, recordDockerEvents } from './docker-events.ts';
import { measureEngineFloor } from './engine-floor.ts';
import { epochMs, KubeApi } from './kube-api.ts';
import { clusterPids, cpuUseBetween, loadAverage, sampleProcesses } from './machine.ts';
import { PodTracker } from './pod-tracker.ts';
import { type PodSample, type RunFigures, summarize, writeResults } from './results.ts';

const here = dirname(fileURLToPath(import.meta.url));
const NAMESPACE = 'pod-bench';
const PODS = 50;
const IN_FLIGHT = 10;
const WARM_UP_PODS = 2;
/** One at a time: the latency of a pod with nothing queued before it. */
const SEQUENTIAL_PODS = 10;
const IMAGE = 'busybox:1.35';
/** The pause image `tkube up` gives cri-docker (packages/cli/src/cluster/node-components.ts). */
const PAUSE_IMAGE = 'tkube/pause:3.10';
const UP_TIMEOUT_MS = 120_000;
const UP_ATTEMPTS = 3;
const MEASURE_TIMEOUT_MS = 120_000;
const DELETE_TIMEOUT_MS = 60_000;
const TEARDOWN_TIMEOUT_MS = 60_000;
/** Past this the run is abandoned: teardown still runs, with its own bound. */
const OVERALL_TIMEOUT_MS = 300_000;
const SETTLE_TIMEOUT_MS = 30_000;
/** How long the CPU of an idle cluster (2 warm-up pods running) is sampled. */
const IDLE_SAMPLE_MS = 3_000;

function podManifest(name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'pod-bench' } },
    spec: {
      nodeName: NODE_NAME,
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'sleep', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }],
    },
  };
}

async function createPod(api: KubeApi, tracker: PodTracker, name: string): Promise<void> {
  const times = tracker.times(name);
  times.sentAt = epochMs();
  await api.expect('POST', `/api/v1/namespaces/${NAMESPACE}/pods`, [201], podManifest(name));
  times.ackedAt = epochMs();
}

/** Keeps IN_FLIGHT pods starting: a pod seen Running lets the next one be created. */
async function createWindowed(
  api: KubeApi,
  tracker: PodTracker,
  names: string[],
  inFlight: number,
  deadline: number,
): Promise<void> {
  let next = 0;
  // One lane failing stops the others from creating more.
  let failed = false;
  const lane = async () => {
    for (let i = next++; i < names.length && !failed; i = next++) {
      await createPod(api, tracker, names[i]);
      await tracker.running(names[i], deadline);
    }
  };
  await Promise.all(
    Array.from({ length: inFlight }, () =>
      lane().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    ),
  );
}

const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

async function deleteAll(api: KubeApi, tracker: PodTracker, names: string[], overallDeadline: number): Promise<number> {
  const started = performance.now();
  await Promise.all(
    names.map((name) => api.expect('DELETE', `/api/v1/namespaces/${NAMESPACE}/pods/${name}`, [200, 202, 404])),
  );
  const deadline = Math.min(overallDeadline, Date.now() + DELETE_TIMEOUT_MS);
  await tracker.until(
    'the pods to be gone',
    () => names.every((n) => tracker.pods.get(n)?.deletedAt !== undefined),
    deadline,
  );
  return (performance.now() - started) / 1000;
}

/** The kubelet's warnings and errors (pino level >= 40) during the run, counted by message. */
function kubeletProblems(dataDir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let text = '';
  try {
    text = readFileSync(join(dataDir, 'logs', `kubelet-${NODE_NAME}.log`), 'utf8');
  } catch {
    return counts;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      if ((entry.level ?? 0) >= 40) counts[entry.msg ?? '?'] = (counts[entry.msg ?? '?'] ?? 0) + 1;
    } catch {
      // not a log record
    }
  }
  return counts;
}

function samples(tracker: PodTracker, docker: ReadonlyMap<string, PodDockerTimes>, names: string[]): PodSample[] {
  const out: PodSample[] = [];
  for (const name of names) {
    const times = tracker.pods.get(name) ?? { name };
    const container = times.whenRunning?.status?.containerStatuses?.[0];
    out.push({
      name,
      sentAt: times.sentAt,
      ackedAt: times.ackedAt,
      runningAt: times.runningAt,
      readyAt: times.readyAt,
      creationTimestamp: times.whenRunning?.metadata?.creationTimestamp,
      startedAt: container?.state?.running?.startedAt,
      docker: docker.get(name) ?? {},
    });
  }
  return out;
}

async function measure(cluster: BenchCluster, overallDeadline: number): Promise<RunFigures> {
  const api = new KubeApi(cluster.restUrl, cluster.caCert, cluster.token);
  const tracker = new PodTracker();
  const docker = recordDockerEvents(cluster.runtimeInstance);
  let watch: { stop(): void } | undefined;
  try {
    await docker.opened;
    await api.expect('POST', '/api/v1/namespaces', [201, 409], {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: NAMESPACE },
    });
    const list = await api.expect('GET', `/api/v1/namespaces/${NAMESPACE}/pods`, [200]);
    const version = (JSON.parse(list.body) as KubeList<Pod>).metadata.resourceVersion ?? '0';
    watch = api.watchPods(NAMESPACE, version, (event) => tracker.onEvent(event));

    console.log(`pod-bench: warming up with ${WARM_UP_PODS} pods ...`);
    const warmNames = Array.from({ length: WARM_UP_PODS }, (_, i) => `warm-${i}`);
    const warmDeadline = Math.min(overallDeadline, Date.now() + 60_000);
    await Promise.all(warmNames.map((n) => createPod(api, tracker, n).then(() => tracker.running(n, warmDeadline))));

    console.log(`pod-bench: ${IDLE_SAMPLE_MS / 1000} s with nothing starting (background CPU) ...`);
    const idleStart = sampleProcesses();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SAMPLE_MS));
    const idleCpu = cpuUseBetween(idleStart, sampleProcesses(), clusterPids(cluster.dataDir));

    console.log(`pod-bench: ${PODS} pods, ${IN_FLIGHT} at a time ...`);
    const benchNames = numbered('bench', PODS);
    const loadBefore = loadAverage();
    const before = sampleProcesses();
    const started = performance.now();
    await createWindowed(
      api,
      tracker,
      benchNames,
      IN_FLIGHT,
      Math.min(overallDeadline, Date.now() + MEASURE_TIMEOUT_MS),
    );
    const wallSeconds = (performance.now() - started) / 1000;
    // Ready may trail Running by an event; give the stragglers a moment.
    await tracker
      .until(
        'every pod Ready',
        () => [...tracker.pods.values()].every((t) => t.readyAt !== undefined),
        Date.now() + 5_000,
      )
      .catch(() => undefined);
    const after = sampleProcesses();
    const loadAfter = loadAverage();
    const cpu = cpuUseBetween(before, after, clusterPids(cluster.dataDir));

    console.log(`pod-bench: ${SEQUENTIAL_PODS} pods, one at a time ...`);
    const sequentialNames = numbered('seq', SEQUENTIAL_PODS);
    await createWindowed(api, tracker, sequentialNames, 1, Math.min(overallDeadline, Date.now() + 60_000));

    console.log('pod-bench: deleting the pods ...');
    const deleteSeconds = await deleteAll(
      api,
      tracker,
      [...warmNames, ...benchNames, ...sequentialNames],
      overallDeadline,
    );

    console.log(`pod-bench: the engine floor: ${PODS} pause+app pairs straight on Docker, ${IN_FLIGHT} at a time ...`);
    const floor = await measureEngineFloor({
      pods: PODS,
      inFlight: IN_FLIGHT,
      pauseImage: PAUSE_IMAGE,
      appImage: IMAGE,
      label: `engine-floor@${cluster.bridge}`,
      deadline: Math.min(overallDeadline, Date.now() + 60_000),
    });
    const floorSequential = await measureEngineFloor({
      pods: SEQUENTIAL_PODS,
      inFlight: 1,
      pauseImage: PAUSE_IMAGE,
      appImage: IMAGE,
      label: `engine-floor@${cluster.bridge}`,
      deadline: Math.min(overallDeadline, Date.now() + 30_000),
    });

    return summarize({
      samples: samples(tracker, docker.pods, benchNames),
      sequential: samples(tracker, docker.pods, sequentialNames),
      floor,
      floorSequential,
      pods: PODS,
      inFlight: IN_FLIGHT,
      wallSeconds,
      deleteSeconds,
      upSeconds: cluster.upSeconds,
      loadBefore,
      loadAfter,
      cpu,
      idleCpu,
      kubeletProblems: kubeletProblems(cluster.dataDir),
    });
  } finally {
    watch?.stop();
    docker.stop();
    api.close();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * `tkube up`, a second time on a fresh plan if the first lost a race for a port (the CLI
 * picks the kubelet's port 10250 when free, and other clusters may be starting meanwhile).
 */
async function startWithRetry(current: () => ClusterHandle, replan: () => Promise<void>): Promise<BenchCluster> {
  for (let attempt = 1; ; attempt++) {
    const handle = current();
    console.log(`pod-bench: tkube up in ${handle.dataDir} (bridge ${handle.bridge}) ...`);
    try {
      return await startCluster(handle, UP_TIMEOUT_MS);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const portRace = message.includes('is taken by another program') || message.includes('EADDRINUSE');
      if (attempt >= UP_ATTEMPTS || !portRace) throw err;
      console.log('pod-bench: a port was taken meanwhile; trying again on a fresh data dir');
      await replan();
    }
  }
}

async function main(): Promise<number> {
  if (!existsSync(join(here, '../../../packages/cli/dist/main.js'))) {
    console.error('pod-bench: build first (`npm run build` at the repository root)');
    return 1;
  }
  const overallDeadline = Date.now() + OVERALL_TIMEOUT_MS;
  let handle: ClusterHandle = planCluster();
  let tornDown: Promise<string[]> | undefined;
  const cleanUp = () => (tornDown ??= teardown(handle, TEARDOWN_TIMEOUT_MS));
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`pod-bench: ${signal}: tearing the cluster down`);
    void cleanUp()
      .then((problems) => {
        for (const problem of problems) console.error(`pod-bench: teardown: ${problem}`);
      })
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let code = 0;
  let run: Promise<RunFigures> | undefined;
  try {
    run = (async () => {
      const cluster = await startWithRetry(
        () => handle,
        async () => {
          const problems = await cleanUp();
          for (const problem of problems) console.error(`pod-bench: teardown: ${problem}`);
          handle = planCluster();
          tornDown = undefined;
        },
      );
      console.log(`pod-bench: the cluster is up in ${cluster.upSeconds.toFixed(1)} s`);
      return measure(cluster, overallDeadline);
    })();
    const figures = await withTimeout(run, OVERALL_TIMEOUT_MS, 'the benchmark');
    writeResults(here, figures);
    console.log(JSON.stringify({ ...figures, samples: undefined }, null, 2));
  } catch (err) {
    console.error(`pod-bench: failed: ${err instanceof Error ? err.message : String(err)}`);
    console.error(`--- kubelet log (last lines)\n${logTail(handle.dataDir, `kubelet-${NODE_NAME}`, 30)}`);
    code = 1;
  } finally {
    // Every step has its own deadline within the overall one: let a run cut short by the
    // overall timeout settle, so nothing it still creates escapes the teardown.
    if (run) await withTimeout(run, SETTLE_TIMEOUT_MS, 'settling').catch(() => undefined);
    console.log('pod-bench: tearing the cluster down ...');
    const problems = await cleanUp();
    for (const problem of problems) console.error(`pod-bench: teardown: ${problem}`);
    if (problems.length > 0) code = 1;
  }
  return code;
}

process.exit(await main());
