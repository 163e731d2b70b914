/** A PodController wired to the fakes, for the kubelet's unit tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Event, Pod, PodStatus, Secret, Service } from '@tkube/api';
import { FakeClock } from '@tkube/client';
import { pino } from 'pino';
import { KubeletEventRecorder } from '../events/recorder.js';
import { NetworkStore } from '../network/network-store.js';
import type { NodeCapacity } from '../pods/admission.js';
import { CrashBackoff } from '../pods/crash-backoff.js';
import { type DnsSettings, podDnsConfig } from '../pods/dns-config.js';
import { ImagePuller } from '../pods/image-puller.js';
import { PodController } from '../pods/pod-controller.js';
import { PodDirs } from '../pods/pod-dirs.js';
import { PodSyncer } from '../pods/pod-syncer.js';
import { PodWorkers } from '../pods/pod-workers.js';
import { ProbeManager } from '../probes/probe-manager.js';
import { ProbeResults } from '../probes/probe-results.js';
import { runHandler } from '../probes/probe-runners.js';
import { StatusManager } from '../status/status-manager.js';
import { VolumeManager } from '../volumes/volume-manager.js';
import { FakeNetwork, FakeRuntime } from './fake-runtime.js';

export async function podHarness(
  options: {
    runtime?: FakeRuntime;
    network?: FakeNetwork;
    rootDir?: string;
    capacity?: NodeCapacity;
    /** The node's pod CIDR; null: none yet (node IPAM has not given one). */
    podCidr?: string | null;
    /** --cluster-dns and friends; the host's resolver file is `nameserver 10.0.0.53`. */
    dns?: Partial<DnsSettings>;
  } = {},
) {
  const rootDir = options.rootDir ?? (await mkdtemp(join(tmpdir(), 'kubelet-pods-')));
  const runtime = options.runtime ?? new FakeRuntime();
  const network = options.network ?? new FakeNetwork();
  let podCidr = options.podCidr === null ? undefined : (options.podCidr ?? '10.244.9.0/24');
  let now = Date.parse('2025-01-01T00:00:00Z');
  const clock = () => now;
  if (!options.runtime) runtime.clockMs = clock;
  const events: Event[] = [];
  const statuses: PodStatus[] = [];
  const deleted: string[] = [];
  const configMaps = new Map<string, ConfigMap>();
  const secrets = new Map<string, Secret>();
  /** The Services the kubelet's cache holds (all namespaces). */
  const services: Service[] = [];
  const dnsSettings: DnsSettings = {
    clusterDns: ['10.96.0.10'],
    clusterDomain: 'cluster.local',
    resolvConf: '/etc/resolv.conf',
    nodeIps: ['127.0.0.1'],
    ...options.dns,
  };
  const hostResolvConf = { servers: ['10.0.0.53'], searches: [], options: [] };
  const dirs = new PodDirs(rootDir);
  const recorder = new KubeletEventRecorder(
    { create: async (e) => events.push(e), patchCount: async () => undefined },
    'node-1',
    undefined,
    () => new Date(now),
  );
  const source = {
    getConfigMap: async (_ns: string, name: string) => configMaps.get(name),
    getSecret: async (_ns: string, name: string) => secrets.get(name),
  };
  const backoff = new CrashBackoff(clock);
  const networkStore = new NetworkStore(dirs);
  await networkStore.load();
  const statusManager = new StatusManager(
    {
      patchStatus: async (_ns, _name, _uid, status) => {
        statuses.push(status);
        return {};
      },
    },
    clock,
  );
  const probeResults = new ProbeResults();
  const fakeClock = new FakeClock();
  const probes = new ProbeManager({
    results: probeResults,
    clock: fakeClock,
    statusOf: (uid) => statusManager.statusOf(uid),
    run: (probe, container, containerId, podIp) =>
      runHandler(probe, { runtime, containerId, container, podIp, timeoutMs: (probe.timeoutSeconds ?? 1) * 1000 }),
    unhealthy: () => undefined,
    wallNow: clock,
  });
  const logger = pino({ level: 'silent' });
  const syncer = new PodSyncer({
    runtime,
    network,
    networkStore,
    images: new ImagePuller(runtime, recorder, backoff, clock),
    recorder,
    backoff,
    dirs,
    dns: { podDns: async (pod) => podDnsConfig(pod, dnsSettings, hostResolvConf) },
    nodeName: 'node-1',
    probes: probeResults,
    envContext: (_pod, podIps) => ({
      source,
      allocatable: { cpu: '2', memory: '4Gi' },
      podIps,
      hostIps: ['127.0.0.1'],
      services: {
        hasSynced: () => true,
        servicesIn: (namespace) => services.filter((s) => (s.metadata?.namespace ?? 'default') === namespace),
      },
    }),
    nodeIp: '127.0.0.1',
    podCidr: () => podCidr,
    logger,
    now: clock,
  });
  const controller = new PodController({
    runtime,
    syncer,
    volumes: new VolumeManager(dirs, source, {
      mountTmpfs: async () => undefined,
      unmount: async () => undefined,
      isMountPoint: async () => false,
    }),
    statusManager,
    probes,
    probeResults,
    networkStore,
    recorder,
    api: { deleteNow: async (ns, name, uid) => void deleted.push(`${ns}/${name}/${uid}`) },
    runtimeName: () => 'docker',
    hostIps: ['127.0.0.1'],
    ...(options.capacity ? { capacity: options.capacity } : {}),
    logger,
    now: clock,
  });
  const workers = new PodWorkers(
    (uid) => controller.sync(uid),
    (_uid, err) => {
      throw err;
    },
  );
  controller.attach(workers);

  /** Applies a pod (as the informer would) and waits for its sync; the pod's status is the last written. */
  const apply = async (pod: Pod) => {
    controller.upsert(pod);
    await workers.idle();
    await recorder.flush();
  };
  const sync = async (pod: Pod) => {
    await controller.sync(pod.metadata?.uid ?? '');
    await recorder.flush();
  };
  return {
    runtime,
    network,
    controller,
    workers,
    statusManager,
    probeResults,
    events,
    statuses,
    deleted,
    configMaps,
    services,
    dirs,
    rootDir,
    apply,
    sync,
    setPodCidr: (cidr: string) => {
      podCidr = cidr;
    },
    advance: (ms: number) => {
      now += ms;
    },
    lastStatus: () => statuses[statuses.length - 1],
    cleanup: async () => {
      probes.stop();
      workers.stop();
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}
