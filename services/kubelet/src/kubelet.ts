/**
 * The kubelet, composed: its plugins (CRI runtime and image services, network plugin),
 * the Node and its Lease, the watch of its own Node for the pod CIDR (handed to the
 * runtime, then to the network plugin with every attachment), the Service informer (for the
 * containers' environment), the pod informer feeding one worker per pod, the PLEG and the
 * periodic resync, probes, and the kubelet API. main.ts only parses flags and handles
 * signals, so tests can run the same kubelet in-process. Stopping the kubelet leaves its
 * pods running: the next start adopts them.
 */
import { randomBytes } from 'node:crypto';
import type { Pod } from '@tkube/api';
import { connectCni } from '@tkube/api/cni';
import { connectCri } from '@tkube/api/cri';
import { ApiClient, Informer, realClock } from '@tkube/client';
import { readFirstToken } from '@tkube/process';
import { type Logger, pino } from 'pino';
import { configSourceOf, eventSinkOf, nodeApiOf, statusWriterOf } from './api-adapters.js';
import type { KubeletConfig } from './config/config.js';
import { serviceInformer } from './env/service-informer.js';
import { KubeletEventRecorder } from './events/recorder.js';
import { NetworkStore } from './network/network-store.js';
import { PodCidr, podCidrOf } from './network/pod-cidr.js';
import { RuntimeConfigUpdater } from './network/runtime-config-updater.js';
import { readHostInfo } from './node/host-info.js';
import { NodeAgent } from './node/node-agent.js';
import { ownNodeInformer } from './node/own-node-informer.js';
import { nodeReadiness } from './node/readiness.js';
import { CrashBackoff } from './pods/crash-backoff.js';
import { DnsConfigurer } from './pods/dns-config.js';
import { ImagePuller } from './pods/image-puller.js';
import { Pleg } from './pods/pleg.js';
import { PodController, podApiOf } from './pods/pod-controller.js';
import { PodDirs } from './pods/pod-dirs.js';
import { PodSyncer } from './pods/pod-syncer.js';
import { PodWorkers } from './pods/pod-workers.js';
import { ProbeManager } from './probes/probe-manager.js';
import { ProbeResults } from './probes/probe-results.js';
import { runHandler } from './probes/probe-runners.js';
import { POD_UID_LABEL } from './runtime/labels.js';
import { containerLocator } from './server/container-locator.js';
import { startKubeletServer } from './server/kubelet-server.js';
import { ensureServingCert } from './server/serving-cert.js';
import { StatusManager } from './status/status-manager.js';
import { systemMounter } from './volumes/mounter.js';
import { VolumeManager } from './volumes/volume-manager.js';

export interface RunningKubelet {
  /** The kubelet API's port (useful with --port 0). */
  port: number;
  stop(): Promise<void>;
}

export interface StartKubeletOptions {
  logger?: Logger;
  /** How long to wait for the runtime, the network plugin and the apiserver at start. */
  startTimeoutMs?: number;
}

const RESYNC_MS = 10_000;
const SERVICE_SYNC_WAIT_MS = 10_000;
const DEFAULT_START_TIMEOUT_MS = 60_000;

export async function startKubelet(config: KubeletConfig, options: StartKubeletOptions = {}): Promise<RunningKubelet> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const deadline = Date.now() + (options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS);
  const closers: Array<() => Promise<void> | void> = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'stopping a part of the kubelet failed');
      }
    }
  };

  try {
    const token = config.tokenFile ? await readFirstToken(config.tokenFile) : undefined;
    if (!token) logger.warn('no --token-file: the kubelet API accepts only a random token nobody knows');
    const client = ApiClient.connect({ address: config.apiserverGrpc, ...(token ? { token } : {}) });
    closers.push(() => client.close());
    const cri = connectCri(config.containerRuntimeEndpoint);
    closers.push(() => cri.close());
    const runtime = cri.runtimeApi;
    const cni = connectCni(config.networkPluginEndpoint);
    closers.push(() => cni.close());

    const version = await retryUntil(deadline, 'reach the container runtime', logger, () =>
      runtime.version({ version: 'v1' }, { timeoutMs: 2_000 }),
    );
    const runtimeName = version.runtimeName || 'docker';
    logger.info({ runtime: runtimeName, version: version.runtimeVersion }, 'connected to the container runtime');

    const dirs = new PodDirs(config.rootDir);
    const networkStore = new NetworkStore(dirs);
    await networkStore.load();
    const host = await readHostInfo(config.rootDir).catch(() => readHostInfo('/'));

    // The pod CIDR counts once the runtime has it (kube's updatePodCIDR): cri-fake hands
    // out pod IPs from it, so no sandbox may be made before.
    const podCidr = new PodCidr();
    const runtimeConfig = new RuntimeConfigUpdater({
      runtime,
      logger,
      onApplied: (cidr) => podCidr.set(cidr),
    });
    closers.push(() => runtimeConfig.stop());
    const readiness = nodeReadiness({ runtime, network: cni, podCidr: () => podCidr.value });

    const recorder = new KubeletEventRecorder(eventSinkOf(client), config.nodeName, (err) =>
      logger.debug({ err }, 'posting an event failed'),
    );
    closers.push(() => Promise.race([recorder.flush(), new Promise<void>((r) => setTimeout(r, 2_000))]));
    const backoff = new CrashBackoff();
    const statusManager = new StatusManager(statusWriterOf(client));
    const source = configSourceOf(client);
    const allocatable = {
      cpu: String(host.cpuCores),
      memory: `${host.memoryKi}Ki`,
      'ephemeral-storage': `${host.ephemeralStorageKi}Ki`,
    };

    // Services feed the containers' environment; kube refuses to make one before the first list.
    const services = serviceInformer(client, (err) => logger.debug({ err }, 'the service watch failed; relisting'));
    services.informer.start();
    closers.push(() => services.informer.stop());
    if (config.clusterDns.length === 0) {
      logger.warn('no --cluster-dns: ClusterFirst pods get the host DNS ("Default"), as kube falls back');
    }

    let workers: PodWorkers | undefined;
    const probeResults = new ProbeResults((uid) => workers?.enqueue(uid));
    const probes = new ProbeManager({
      results: probeResults,
      clock: realClock,
      statusOf: (uid) => statusManager.statusOf(uid),
      run: (probe, container, containerId, podIp) =>
        runHandler(probe, { runtime, containerId, container, podIp, timeoutMs: (probe.timeoutSeconds ?? 1) * 1000 }),
      unhealthy: (pod, container, _kind, message) =>
        recorder.event(pod, 'Warning', 'Unhealthy', message, `spec.containers{${container.name}}`),
      wallNow: Date.now,
    });
    closers.push(() => probes.stop());

    const syncer = new PodSyncer({
      runtime,
      network: cni,
      networkStore,
      images: new ImagePuller(cri.imageApi, recorder, backoff),
      recorder,
      backoff,
      dirs,
      dns: new DnsConfigurer({
        clusterDns: config.clusterDns,
        clusterDomain: config.clusterDomain,
        resolvConf: config.resolvConf,
        nodeIps: [config.nodeIp],
      }),
      nodeName: config.nodeName,
      probes: probeResults,
      envContext: (_pod, podIps) => ({
        source,
        allocatable,
        podIps,
        hostIps: [config.nodeIp],
        services: services.lister,
      }),
      nodeIp: config.nodeIp,
      podCidr: () => podCidr.value,
      logger,
    });
    const controller = new PodController({
      runtime,
      syncer,
      volumes: new VolumeManager(dirs, source, systemMounter),
      statusManager,
      probes,
      probeResults,
      networkStore,
      recorder,
      api: podApiOf(client),
      runtimeName: () => runtimeName,
      hostIps: [config.nodeIp],
      capacity: { pods: config.maxPods, cpuMilli: host.cpuCores * 1000, memoryBytes: host.memoryKi * 1024 },
      logger,
    });
    workers = new PodWorkers(
      (uid) => controller.sync(uid),
      (uid, err) => {
        logger.warn({ err, uid, pod: controller.podByUid(uid)?.metadata?.name }, 'syncing the pod failed; retrying');
        workers?.enqueueAfter(uid, 2_000);
      },
    );
    controller.attach(workers);
    const podWorkers = workers;
    closers.push(async () => {
      podWorkers.stop();
      // A sync in flight finishes (or is cut short) before the clients close under it.
      await Promise.race([podWorkers.idle(), new Promise<void>((r) => setTimeout(r, 5_000).unref())]);
    });

    const nodeAgent = new NodeAgent({
      api: nodeApiOf(client),
      facts: {
        nodeName: config.nodeName,
        nodeIp: config.nodeIp,
        ...(config.podCidr ? { podCidr: config.podCidr } : {}),
        kubeletPort: config.port,
        maxPods: config.maxPods,
        host,
        containerRuntimeVersion: `${runtimeName}://${version.runtimeVersion}`,
      },
      readiness,
      leaseDurationSeconds: config.nodeLeaseDurationSeconds,
      logger,
      recorder,
    });
    podCidr.onChange((cidr) => {
      logger.info({ podCidr: cidr }, 'the node has its pod CIDR');
      // Pods waiting for it go now, and Ready follows without waiting for the status loop.
      for (const uid of controller.knownUids()) podWorkers.enqueue(uid);
      nodeAgent.postStatus(false).catch((err: unknown) => logger.warn({ err }, 'posting the node status failed'));
    });
    const registered = await retryUntil(deadline, 'register the node', logger, () => nodeAgent.register());
    closers.push(() => nodeAgent.stop());
    const registeredCidr = podCidrOf(registered);
    if (registeredCidr) runtimeConfig.update(registeredCidr);
    else logger.info('the node has no pod CIDR yet: waiting for node IPAM to give it one');
    const nodeInformer = ownNodeInformer(
      client,
      config.nodeName,
      (node) => {
        const cidr = podCidrOf(node);
        if (cidr) runtimeConfig.update(cidr);
      },
      (err) => logger.debug({ err }, 'the node watch failed; relisting'),
    );
    nodeInformer.start();
    closers.push(() => nodeInformer.stop());

    // /readyz: ok once the pods bound to this node are listed and being run.
    let podsListed = false;
    const tls = await ensureServingCert(dirs.pkiDir(), config.nodeName, [...new Set([config.address, config.nodeIp])]);
    const server = await startKubeletServer({
      host: config.address,
      port: config.port,
      tls,
      token: token ?? randomBytes(32).toString('hex'),
      locator: containerLocator({
        runtime,
        dirs,
        networkStore,
        podByName: (ns, name) => controller.podByName(ns, name),
      }),
      logger,
      ready: () => podsListed,
      metrics: () => nodeNameMetric(config.nodeName),
    });
    closers.push(() => server.close());
    nodeAgent.start();

    const informer = new Informer<Pod>({
      client,
      resource: { group: '', version: 'v1', resource: 'pods' },
      fieldSelector: `spec.nodeName=${config.nodeName}`,
      onError: (err) => logger.debug({ err }, 'the pod watch failed; relisting'),
    });
    informer.addEventHandler({
      onAdd: (pod) => controller.upsert(pod),
      onUpdate: (_old, pod) => controller.upsert(pod),
      onDelete: (pod) => controller.remove(pod),
    });
    // Pods wait briefly for the Services, so their first containers get the variables at once
    // (a container started before then waits with CreateContainerConfigError and is retried).
    await waitForSyncWithin(services.informer, SERVICE_SYNC_WAIT_MS);
    informer.start();
    closers.push(() => informer.stop());
    await informer.waitForSync();
    podsListed = true;

    // Pods the runtime runs but the API no longer has (deleted while the kubelet was down) are cleaned up.
    const sandboxes = await runtime.listPodSandbox({});
    for (const sandbox of sandboxes.items) {
      const uid = sandbox.labels[POD_UID_LABEL];
      if (uid) podWorkers.enqueue(uid);
    }

    const pleg = new Pleg(
      runtime,
      (uid) => podWorkers.enqueue(uid),
      (err) => logger.debug({ err }, 'relisting the runtime failed'),
      {
        onEventsChanged: (flowing, why) =>
          logger.info({ why }, flowing ? 'runtime events flowing' : 'relisting without runtime events'),
      },
    );
    pleg.start();
    closers.push(() => pleg.stop());
    const resync = setInterval(() => {
      for (const uid of controller.knownUids()) podWorkers.enqueue(uid);
    }, RESYNC_MS);
    closers.push(() => clearInterval(resync));

    logger.info({ node: config.nodeName, port: server.port, rootDir: config.rootDir }, 'kubelet is running');
    let stopping: Promise<void> | undefined;
    return {
      port: server.port,
      stop: () => {
        stopping ??= closeAll().then(() => logger.info('kubelet stopped'));
        return stopping;
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

async function waitForSyncWithin(informer: { waitForSync(signal?: AbortSignal): Promise<boolean> }, ms: number) {
  const signal = AbortSignal.timeout(ms);
  return informer.waitForSync(signal);
}

async function retryUntil<T>(deadline: number, what: string, logger: Logger, attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() >= deadline)
        throw new Error(`failed to ${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      if (tries === 1 || tries % 10 === 0)
        logger.info({ err: err instanceof Error ? err.message : String(err) }, `waiting to ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** kubelet_node_name, as kube's kubelet has it: which node this kubelet runs. */
function nodeNameMetric(nodeName: string): string {
  return [
    "# HELP kubelet_node_name The node's name. The count is always 1.",
    '# TYPE kubelet_node_name gauge',
    `kubelet_node_name{node="${nodeName}"} 1`,
    '',
  ].join('\n');
}
