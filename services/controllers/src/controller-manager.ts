/**
 * The controller-manager: one process running many controllers over shared informers,
 * while it holds the Lease kube-system/kube-controller-manager (when leader election is
 * on). Each controller is a starter taking what it needs (client, informers, logger,
 * config) and returning something to stop; they never reach into each other.
 */
import { ApiClient, campaign, leaderElectionMetric } from '@tkube/client';
import { readFirstToken, startHealthServer } from '@tkube/process';
import type { ControllerManagerConfig } from './config/config.js';
import { startDeploymentController } from './deployment/index.js';
import { startEndpointsController } from './endpoints/index.js';
import { SharedInformers } from './framework/shared-informers.js';
import type { ControllerClient, Logger, RunningController } from './framework/types.js';
import { startGarbageCollector } from './garbage-collector/index.js';
import { type NamespaceClient, startNamespaceController } from './namespace/index.js';
import { startNodeIpamController } from './node-ipam/index.js';
import { startNodeLifecycleController } from './node-lifecycle/index.js';
import { startReplicaSetController } from './replicaset/index.js';

/** Everything any controller needs of the apiserver (ApiClient has it all). */
export type ManagerClient = ControllerClient & NamespaceClient;

export interface ControllerContext {
  client: ManagerClient;
  informers: SharedInformers;
  logger: Logger;
  config: ControllerManagerConfig;
}

export type ControllerStarter = (context: ControllerContext) => RunningController;

/** Every controller by its --controllers name (kube's names where it has them). */
export const CONTROLLERS: Readonly<Record<string, ControllerStarter>> = {
  deployment: ({ client, informers, logger }) => startDeploymentController({ client, informers, logger }),
  replicaset: ({ client, informers, logger }) => startReplicaSetController({ client, informers, logger }),
  garbagecollector: ({ client, informers, logger }) => startGarbageCollector({ client, informers, logger }),
  namespace: ({ client, informers, logger }) => startNamespaceController({ client, informers, logger }),
  endpoint: ({ client, informers, logger }) => startEndpointsController({ client, informers, logger }),
  nodelifecycle: ({ client, informers, logger, config }) =>
    startNodeLifecycleController({
      client,
      informers,
      logger,
      ...(config.podEvictionTimeoutMs !== undefined ? { podEvictionTimeoutMs: config.podEvictionTimeoutMs } : {}),
    }),
  nodeipam: ({ client, informers, logger, config }) =>
    startNodeIpamController({
      client,
      informers,
      logger,
      clusterCidr: config.clusterCidr,
      nodeMaskSize: config.nodeCidrMaskSize,
    }),
};

/** kube's --controllers semantics: "*" enables all, "name" one, "-name" disables one. */
export function enabledControllers(spec: readonly string[], known: readonly string[]): string[] {
  const all = spec.includes('*');
  return known.filter((name) => !spec.includes(`-${name}`) && (all || spec.includes(name)));
}

export interface RunningControllerManager {
  isLeader(): boolean;
  /** Where /healthz, /readyz and /metrics answer; undefined when nowhere. */
  healthzAddress: string | undefined;
  stop(): Promise<void>;
}

export interface StartControllerManagerOptions {
  logger: Logger;
  /** A client to use instead of connecting (tests); it is not closed on stop. */
  client?: ApiClient;
  /** Replaces the controller table (tests). */
  controllers?: Readonly<Record<string, ControllerStarter>>;
}

export async function startControllerManager(
  config: ControllerManagerConfig,
  options: StartControllerManagerOptions,
): Promise<RunningControllerManager> {
  const { logger } = options;
  const table = options.controllers ?? CONTROLLERS;
  const unknown = config.controllers.filter((name) => name !== '*' && !(name.replace(/^-/, '') in table));
  if (unknown.length > 0) throw new Error(`unknown controllers: ${unknown.join(', ')}`);
  const names = enabledControllers(config.controllers, Object.keys(table));

  const token = config.tokenFile ? await readFirstToken(config.tokenFile) : undefined;
  const client =
    options.client ?? ApiClient.connect({ address: config.apiserverGrpc, ...(token !== undefined ? { token } : {}) });
  const stopping = new AbortController();
  // Ready while this process runs its controllers on synced caches: a standby is live, not ready.
  let synced = false;
  let isLeader = () => false;
  const health = await startHealthServer(
    {
      address: config.healthzBindAddress,
      ready: () => synced,
      metrics: () => leaderElectionMetric(config.leaseName, isLeader()),
    },
    logger,
  );

  /** Runs every enabled controller until the signal aborts (leadership lost, or stop). */
  const lead = async (signal: AbortSignal): Promise<void> => {
    const informers = new SharedInformers({
      client,
      onError: (resource, err) => logger.warn({ resource, err: err.message }, 'list/watch failed; retrying'),
    });
    const running: RunningController[] = [];
    for (const name of names) {
      const starter = table[name];
      if (!starter) continue;
      try {
        running.push(starter({ client, informers, logger, config }));
      } catch (err) {
        logger.error({ err, controller: name }, `failed to start the ${name} controller`);
      }
    }
    informers.start();
    logger.info({ controllers: names, identity: config.identity }, 'controllers started');
    // From here /readyz answers ok (what `tkube up` waits for).
    void informers.waitForSync(signal).then((allSynced) => {
      if (!allSynced || signal.aborted) return;
      synced = true;
      logger.info({ identity: config.identity }, 'controller caches synced');
    });
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    synced = false;
    await Promise.all(running.map((controller) => controller.stop()));
    await informers.stop();
  };

  // A lost leadership ends the term; campaign again until stopped.
  const elected = config.leaderElect
    ? campaign(
        {
          client,
          lock: { namespace: config.leaseNamespace, name: config.leaseName },
          identity: config.identity,
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
    healthzAddress: health?.address,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        await running;
        await health?.close();
        if (!options.client) client.close();
      })();
      return stopped;
    },
  };
}
