/**
 * The tkube-dns process, composed: the interface that holds the listen address (when
 * asked), an apiserver client, informers on Services and EndpointSlices that feed the
 * record index, the kube-dns Service kept registered, and the UDP/TCP server, which
 * starts answering only once both caches have synced (before, every name would look
 * absent and resolvers would cache the NXDOMAIN). The interface stays on stop, so that a
 * restart finds the address in place; `--cleanup` removes it.
 */
import type { EndpointSlice, Service } from '@tkube/api';
import { ApiClient, Informer, type ListWatchClient } from '@tkube/client';
import { readFirstToken, startHealthServer } from '@tkube/process';
import { type Logger, pino } from 'pino';
import { ensureKubeDns, type KubeDnsClient } from './cluster/ensure-kube-dns.js';
import { KUBE_DNS_NAME } from './cluster/kube-dns-objects.js';
import { KubeDnsRegistration } from './cluster/registration.js';
import { ENDPOINT_SLICES, SERVICES } from './cluster/resources.js';
import { RECORD_TTL_SECONDS, type ServeConfig } from './config/config.js';
import { ensureDnsInterface } from './host/dns-interface.js';
import { type IpCommand, systemIp } from './host/ip-command.js';
import { endpointSliceHandler, serviceHandler } from './records/index-handlers.js';
import { RecordIndex } from './records/record-index.js';
import { Responder } from './responder/responder.js';
import { type RunningDnsServer, startDnsServer } from './server/dns-server.js';

export type DnsClient = ListWatchClient & KubeDnsClient & { close?(): void };

export interface StartDnsOptions {
  logger?: Logger;
  /** An existing client (tests); otherwise one is made from the config and closed on stop. */
  client?: DnsClient;
  /** How links are made (tests); the system's `ip` otherwise. */
  ip?: IpCommand;
  /** How long to wait for the caches before giving up. */
  syncTimeoutMs?: number;
}

export interface RunningDns {
  readonly port: number;
  /** Where /healthz, /readyz and /metrics answer; undefined when nowhere. */
  readonly healthzAddress: string | undefined;
  readonly index: RecordIndex;
  readonly registration: KubeDnsRegistration;
  stop(): Promise<void>;
}

const SYNC_TIMEOUT_MS = 60_000;

export async function startDns(config: ServeConfig, options: StartDnsOptions = {}): Promise<RunningDns> {
  const logger = options.logger ?? pino({ level: 'silent' });
  if (config.interfaceName !== undefined) {
    const { created } = await ensureDnsInterface(options.ip ?? systemIp, config.interfaceName, config.listenAddress);
    logger.info({ interface: config.interfaceName, address: config.listenAddress, created }, 'DNS address in place');
  }

  const ownClient = options.client === undefined;
  const token = ownClient && config.tokenFile ? await readFirstToken(config.tokenFile) : undefined;
  const client: DnsClient =
    options.client ?? ApiClient.connect({ address: config.apiserverGrpc, ...(token !== undefined ? { token } : {}) });

  const index = new RecordIndex({
    zone: config.clusterDomain,
    ttl: RECORD_TTL_SECONDS,
    nameserver: config.listenAddress,
  });
  const onError = (what: string) => (err: unknown) =>
    logger.warn({ err }, `${what} informer: list/watch failed; retrying`);
  const services = new Informer<Service>({ client, resource: SERVICES, onError: onError('service') });
  const slices = new Informer<EndpointSlice>({ client, resource: ENDPOINT_SLICES, onError: onError('endpointslice') });
  services.addEventHandler(serviceHandler(index));
  slices.addEventHandler(endpointSliceHandler(index));

  let serving = false;
  const answered = new Map<string, number>();
  const health = await startHealthServer(
    { address: config.healthzBindAddress, ready: () => serving, metrics: () => responseMetrics(answered) },
    logger,
  );

  services.start();
  slices.start();
  const releaseAll = async () => {
    await Promise.all([services.stop(), slices.stop(), health?.close()]);
    if (ownClient) client.close?.();
  };

  const syncTimeoutMs = options.syncTimeoutMs ?? SYNC_TIMEOUT_MS;
  const synced = AbortSignal.timeout(syncTimeoutMs);
  if (!(await services.waitForSync(synced)) || !(await slices.waitForSync(synced))) {
    await releaseAll();
    throw new Error(
      `the informers did not sync with the apiserver at ${config.apiserverGrpc} within ${syncTimeoutMs / 1000}s`,
    );
  }
  logger.info({ services: services.cache.size, endpointSlices: slices.cache.size }, 'caches synced');

  const responder = new Responder(index, {
    onAnswered: (question, rcode) => {
      answered.set(rcode, (answered.get(rcode) ?? 0) + 1);
      logger.debug({ name: question.name, type: question.type, rcode }, 'query');
    },
  });
  let server: RunningDnsServer;
  try {
    server = await startDnsServer({
      host: config.listenAddress,
      port: config.port,
      handle: (message, transport) => responder.respond(message, transport),
      logger,
    });
  } catch (err) {
    await releaseAll();
    throw new Error(`could not serve DNS on ${config.listenAddress}:${config.port}: ${messageOf(err)}`, { cause: err });
  }
  // Registered once serving, at the port actually bound (tests bind port 0).
  const registration = new KubeDnsRegistration({
    ensure: () =>
      ensureKubeDns(client, { namespace: config.serviceNamespace, address: config.listenAddress, port: server.port }),
    logger,
  });
  // Someone deleting or editing what this process registered gets it back.
  const isOurs = (object: Service | EndpointSlice) =>
    object.metadata?.namespace === config.serviceNamespace && object.metadata?.name === KUBE_DNS_NAME;
  const reRegister = {
    onUpdate: (_old: Service | EndpointSlice, object: Service | EndpointSlice) => {
      if (isOurs(object)) registration.trigger();
    },
    onDelete: (object: Service | EndpointSlice) => {
      if (isOurs(object)) registration.trigger();
    },
  };
  services.addEventHandler(reRegister);
  slices.addEventHandler(reRegister);
  registration.trigger();

  serving = true;
  logger.info(
    { address: config.listenAddress, port: server.port, domain: config.clusterDomain, outsideNames: 'REFUSED' },
    'serving DNS over UDP and TCP',
  );

  let stopped: Promise<void> | undefined;
  return {
    port: server.port,
    healthzAddress: health?.address,
    index,
    registration,
    stop: () => {
      stopped ??= (async () => {
        await server.close();
        await registration.stop();
        await releaseAll();
      })();
      return stopped;
    },
  };
}

/** CoreDNS' counter of responses, by their rcode. */
function responseMetrics(answered: ReadonlyMap<string, number>): string {
  const lines = [
    '# HELP coredns_dns_responses_total Counter of response status codes.',
    '# TYPE coredns_dns_responses_total counter',
  ];
  for (const [rcode, count] of answered) lines.push(`coredns_dns_responses_total{rcode="${rcode}"} ${count}`);
  return `${lines.join('\n')}\n`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
