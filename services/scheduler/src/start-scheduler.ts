/**
 * The scheduler process, composed: an apiserver client, informers on nodes and pods that
 * feed the cache and the queue, the framework with the plugins and DefaultBinder, and the
 * scheduling loop, which runs only while this process leads (a Lease in kube-system), as
 * kube-scheduler: informers run from the start, so a standby's cache is warm when it takes
 * over. On stop the Lease is released, so a standby takes over at its next try instead of
 * waiting out the lease.
 */
import type { Node, Pod } from '@tkube/api';
import { ApiClient, campaign, Informer, type ListWatchClient, leaderElectionMetric, objectKey } from '@tkube/client';
import { readFirstToken, startHealthServer } from '@tkube/process';
import { type Logger, pino } from 'pino';
import { DefaultBinder } from './binder/default-binder.js';
import { SchedulerCache } from './cache/cache.js';
import type { SchedulerConfig } from './config/config.js';
import { nodeEventHandler, podEventHandler } from './event-handlers.js';
import { QueuedEventRecorder } from './events/recorder.js';
import { FrameworkRunner } from './framework/runner.js';
import type { Plugin, PodInfo } from './framework/types.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import { Scheduler } from './scheduler.js';
import { PodConditionWriter } from './status/pod-scheduled-condition.js';

export interface StartSchedulerOptions {
  logger?: Logger;
  /** The Filter/Score plugins (DefaultBinder is added). */
  plugins: readonly Plugin[];
  podInfoOf: (pod: Pod) => PodInfo;
  /** An existing client (tests); otherwise one is made from the config. */
  client?: ApiClient;
}

export interface RunningScheduler {
  isLeader(): boolean;
  /** Pods this process bound. */
  scheduledCount(): number;
  /** Where /healthz, /readyz and /metrics answer ("127.0.0.1:10259"); undefined when nowhere. */
  healthzAddress: string | undefined;
  stop(): Promise<void>;
}

const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const CLEANUP_INTERVAL_MS = 1_000;
const SYNC_TIMEOUT_MS = 60_000;

export async function startScheduler(
  config: SchedulerConfig,
  options: StartSchedulerOptions,
): Promise<RunningScheduler> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const ownClient = options.client === undefined;
  const token = config.tokenFile ? await readFirstToken(config.tokenFile) : undefined;
  const client =
    options.client ?? ApiClient.connect({ address: config.apiserverGrpc, ...(token !== undefined ? { token } : {}) });

  const cache = new SchedulerCache({ podInfoOf: options.podInfoOf });
  const queue = new SchedulingQueue({
    podInfoOf: options.podInfoOf,
    onMove: (event, moved) => logger.debug({ event: event.label, moved }, 'moved unschedulable pods'),
  });
  const listWatch: ListWatchClient = client;
  const onError = (what: string) => (err: unknown) =>
    logger.warn({ err }, `${what} informer: list/watch failed; retrying`);
  const nodes = new Informer<Node>({ client: listWatch, resource: NODES, onError: onError('node') });
  const pods = new Informer<Pod>({ client: listWatch, resource: PODS, onError: onError('pod') });
  nodes.addEventHandler(nodeEventHandler(cache, queue));
  pods.addEventHandler(podEventHandler(config.schedulerName, cache, queue));

  const recorder = new QueuedEventRecorder({
    component: config.schedulerName,
    instance: config.identity,
    sink: {
      create: (event) => client.create({ ...EVENTS, namespace: event.metadata?.namespace }, event),
      patchCount: (namespace, name, count, lastTimestamp) =>
        client.patch({ ...EVENTS, namespace }, name, 'merge', { count, lastTimestamp }),
    },
    onError: (err) => logger.debug({ err }, 'posting an event failed'),
  });
  const conditions = new PodConditionWriter(
    {
      patchStatus: (namespace, name, patch) =>
        client.patch({ ...PODS, namespace }, name, 'strategic', patch, { subresource: 'status' }),
    },
    (err, pod) => logger.debug({ err, pod: pod.metadata?.name }, 'writing PodScheduled failed'),
  );
  const framework = new FrameworkRunner({
    plugins: [...options.plugins, new DefaultBinder(client)],
    percentageOfNodesToScore: config.percentageOfNodesToScore,
  });
  const scheduler = new Scheduler({
    queue,
    cache,
    framework,
    recorder,
    conditions,
    logger,
    currentPod: (pod) => {
      const current = pods.cache.get(objectKey(pod));
      // A pod re-created under the same name is another pod.
      return current?.metadata?.uid === pod.metadata?.uid ? current : undefined;
    },
  });

  let synced = false;
  // Set once the campaign starts; until then this process does not lead.
  let isLeader = () => false;
  const health = await startHealthServer(
    {
      address: config.healthzBindAddress,
      ready: () => synced,
      metrics: () => schedulerMetrics(config, scheduler.scheduledCount, isLeader()),
    },
    logger,
  );

  nodes.start();
  pods.start();
  queue.run();
  const cleanup = setInterval(() => {
    const expired = cache.cleanupExpired();
    if (expired.length > 0) logger.warn({ pods: expired.map((p) => p.metadata?.name) }, 'assumed pods expired');
  }, CLEANUP_INTERVAL_MS);
  const stopping = new AbortController();
  const releaseAll = async () => {
    clearInterval(cleanup);
    queue.close();
    await Promise.all([nodes.stop(), pods.stop(), health?.close()]);
    if (ownClient) client.close();
  };

  const syncing = AbortSignal.any([stopping.signal, AbortSignal.timeout(SYNC_TIMEOUT_MS)]);
  if (!(await nodes.waitForSync(syncing)) || !(await pods.waitForSync(syncing))) {
    await releaseAll();
    throw new Error(
      `the informers did not sync with the apiserver at ${config.apiserverGrpc} within ${SYNC_TIMEOUT_MS / 1000}s`,
    );
  }
  synced = true;
  logger.info({ nodes: nodes.cache.size, pods: pods.cache.size }, 'caches synced');

  const lead = async (signal: AbortSignal) => {
    logger.info({ identity: config.identity }, 'scheduling');
    await scheduler.run(signal);
  };
  // A lost leadership ends the term; campaign again until stopped.
  const elected = config.leaderElect
    ? campaign(
        {
          client,
          lock: { namespace: config.leaseNamespace, name: config.leaseName },
          identity: config.identity,
          leaseDurationMs: config.leaseDurationMs,
          renewDeadlineMs: config.renewDeadlineMs,
          retryPeriodMs: config.retryPeriodMs,
          lead,
          logger,
        },
        stopping.signal,
      )
    : undefined;
  const running = elected ? elected.done : lead(stopping.signal);
  isLeader = () => elected?.isLeader() ?? true;

  let stopped: Promise<void> | undefined;
  return {
    isLeader: () => isLeader(),
    scheduledCount: () => scheduler.scheduledCount,
    healthzAddress: health?.address,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        await running;
        await recorder.flush();
        await releaseAll();
      })();
      return stopped;
    },
  };
}

/** kube-scheduler's names: bindings made, and whether this process leads. */
function schedulerMetrics(config: SchedulerConfig, scheduled: number, leading: boolean): string {
  return [
    '# HELP scheduler_schedule_attempts_total Number of attempts to schedule pods, by the result.',
    '# TYPE scheduler_schedule_attempts_total counter',
    `scheduler_schedule_attempts_total{profile="${config.schedulerName}",result="scheduled"} ${scheduled}`,
    leaderElectionMetric(config.leaseName, leading),
  ].join('\n');
}
