/**
 * The proxy process, composed: informers on Services, EndpointSlices and this proxy's Node
 * feed a bounded sync runner, whose every run rewrites the instance's rules whole. Rules
 * are first written only once every cache has synced, so a restarted proxy never replaces
 * working rules with an empty world; until then (and after a stop) the old rules keep
 * traffic flowing.
 */
import type { EndpointSlice, Node, Service } from '@tkube/api';
import { ApiClient, type EventHandler, Informer, type ListWatchClient } from '@tkube/client';
import { type Ipv4Cidr, parseCidr, readFirstToken, startHealthServer } from '@tkube/process';
import { type Logger, pino } from 'pino';
import type { ProxyConfig } from './config/config.js';
import { type CommandRunner, hostRunner } from './iptables/command-runner.js';
import { Iptables } from './iptables/iptables.js';
import type { BuildOptions } from './rules/build-ruleset.js';
import { instanceTag } from './rules/chain-names.js';
import { servicePortsOf } from './rules/service-ports.js';
import { BoundedSyncRunner } from './sync/bounded-sync-runner.js';
import { prepareHostNetwork, procSysctl, type Sysctl } from './sync/host-network.js';
import { Proxier, type RuleWriter } from './sync/proxier.js';

export interface StartProxyOptions {
  logger?: Logger;
  /** An existing client (tests); otherwise one is made from the config. */
  client?: ListWatchClient & { close?(): void };
  runner?: CommandRunner;
  sysctl?: Sysctl;
  writer?: RuleWriter;
  /** Timings (tests shorten them). */
  minSyncIntervalMs?: number;
  fullSyncPeriodMs?: number;
}

export interface RunningProxy {
  /** Where /healthz, /readyz and /metrics answer; undefined when nowhere. */
  healthzAddress: string | undefined;
  /** Resolves true once the caches synced and the first rules were written; false if stopped first. */
  firstSync(): Promise<boolean>;
  /** Stops watching; the rules stay (a restart rewrites them). */
  stop(): Promise<void>;
}

const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINT_SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const LOOPBACK: Ipv4Cidr = { network: 0x7f000001, prefixLength: 32 };
const NODE_ADDRESS_TYPES: ReadonlySet<string> = new Set(['InternalIP', 'ExternalIP']);

export const MIN_SYNC_INTERVAL_MS = 100;
export const FULL_SYNC_PERIOD_MS = 30_000;
const RETRY_MS = 1_000;

export async function startProxy(config: ProxyConfig, options: StartProxyOptions = {}): Promise<RunningProxy> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const runner = options.runner ?? hostRunner;
  const writer = options.writer ?? new Iptables(runner);
  const tag = instanceTag(config.instance);
  const network = await prepareHostNetwork(options.sysctl ?? procSysctl, runner, logger);
  const masqueradeAll = config.masqueradeAll || !network.bridgeCallsIptables;

  const ownClient = options.client === undefined;
  const token = config.tokenFile ? await readFirstToken(config.tokenFile) : undefined;
  const client =
    options.client ??
    // Fail fast: the informers retry with back-off, and a stop is not held up by a waiting call.
    ApiClient.connect({ address: config.apiserverGrpc, failFast: true, ...(token !== undefined ? { token } : {}) });
  const onError = (what: string) => (err: unknown) =>
    logger.warn({ err }, `${what} informer: list/watch failed; retrying`);
  const services = new Informer<Service>({ client, resource: SERVICES, onError: onError('service') });
  const slices = new Informer<EndpointSlice>({ client, resource: ENDPOINT_SLICES, onError: onError('endpointslice') });
  const followNode = config.nodePortAddresses.length === 0;
  const nodes = followNode
    ? new Informer<Node>({
        client,
        resource: NODES,
        fieldSelector: `metadata.name=${config.hostnameOverride}`,
        onError: onError('node'),
      })
    : undefined;

  const buildOptions = (): BuildOptions => ({
    instance: config.instance,
    tag,
    clusterCidr: config.clusterCidr,
    masqueradeAll,
    nodePortAddresses: followNode ? [LOOPBACK, ...nodeAddresses(nodes?.cache.list() ?? [])] : config.nodePortAddresses,
  });
  const proxier = new Proxier({
    writer,
    runner,
    servicePorts: () => servicePortsOf(services.cache.list(), slices.cache.list()),
    buildOptions,
    logger,
  });
  let lastSyncSeconds = 0;
  const syncRunner = new BoundedSyncRunner({
    sync: async (full) => {
      await proxier.sync(full);
      lastSyncSeconds = Date.now() / 1000;
    },
    onError: (err) => logger.error({ err }, 'writing the rules failed; retrying'),
    minIntervalMs: options.minSyncIntervalMs ?? MIN_SYNC_INTERVAL_MS,
    periodMs: options.fullSyncPeriodMs ?? FULL_SYNC_PERIOD_MS,
    retryMs: RETRY_MS,
  });
  const changed: EventHandler<Service | EndpointSlice | Node> = {
    onAdd: () => syncRunner.request(),
    onUpdate: () => syncRunner.request(),
    onDelete: () => syncRunner.request(),
  };
  services.addEventHandler(changed);
  slices.addEventHandler(changed);
  nodes?.addEventHandler(changed);

  let rulesWritten = false;
  const health = await startHealthServer(
    { address: config.healthzBindAddress, ready: () => rulesWritten, metrics: () => syncMetric(lastSyncSeconds) },
    logger,
  );

  const informers = [services, slices, ...(nodes ? [nodes] : [])];
  for (const informer of informers) informer.start();
  logger.info(
    { tag, masqueradeAll, clusterCidr: buildOptions().clusterCidr, apiserver: config.apiserverGrpc },
    'watching services and endpoint slices',
  );

  const stopping = new AbortController();
  const firstSync = (async () => {
    for (const informer of informers) if (!(await informer.waitForSync(stopping.signal))) return false;
    logger.info({ services: services.cache.size, endpointSlices: slices.cache.size }, 'caches synced');
    syncRunner.start();
    // A first write that fails is retried by the runner (and logged) until stopped.
    const aborted = new Promise<false>((resolve) =>
      stopping.signal.addEventListener('abort', () => resolve(false), { once: true }),
    );
    const written = await Promise.race([proxier.written().then(() => true), aborted]);
    // `tkube up` counts the proxy ready on this line.
    if (written) logger.info({ tag }, 'rules written');
    rulesWritten = written;
    return written;
  })();

  let stopped: Promise<void> | undefined;
  return {
    healthzAddress: health?.address,
    firstSync: () => firstSync,
    stop: () => {
      stopped ??= (async () => {
        stopping.abort();
        await syncRunner.stop();
        const informersStopped = Promise.all(informers.map((informer) => informer.stop()));
        // Closing the channel ends a list still waiting for an unreachable apiserver.
        if (ownClient) client.close?.();
        await Promise.all([informersStopped, health?.close()]);
      })();
      return stopped;
    },
  };
}

/** kube-proxy's gauge of when the rules were last synced (0 before the first). */
function syncMetric(lastSyncSeconds: number): string {
  return [
    '# HELP kubeproxy_sync_proxy_rules_last_timestamp_seconds The last time proxy rules were successfully synced',
    '# TYPE kubeproxy_sync_proxy_rules_last_timestamp_seconds gauge',
    `kubeproxy_sync_proxy_rules_last_timestamp_seconds ${lastSyncSeconds}`,
    '',
  ].join('\n');
}

/** The Node's IPv4 InternalIP and ExternalIP addresses, as /32 blocks. */
export function nodeAddresses(nodes: readonly Node[]): Ipv4Cidr[] {
  const out: Ipv4Cidr[] = [];
  for (const node of nodes) {
    for (const address of node.status?.addresses ?? []) {
      if (!NODE_ADDRESS_TYPES.has(address.type)) continue;
      const cidr = parseCidr(`${address.address}/32`);
      if (cidr && !out.some((c) => c.network === cidr.network) && cidr.network !== LOOPBACK.network) out.push(cidr);
    }
  }
  return out;
}
