/**
 * The apiserver, composed: storage, registries (with the configured Service ranges), the
 * system namespaces, the REST and gRPC front ends, then the `kubernetes` Service. main.ts only parses flags and handles signals, so tests can start the
 * same server in-process.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Logger, pino } from 'pino';
import type { ApiServerConfig } from './config/config.js';
import { loadKubeletToken } from './config/kubelet-token.js';
import { loadTokenFile, type TokenUser } from './config/token-file.js';
import { advertiseAddressFor } from './controlplane/advertise-address.js';
import { startKubernetesServiceController } from './controlplane/kubernetes-service-controller.js';
import { startGrpcServer } from './grpc/grpc-server.js';
import { ensureServingCertificates } from './pki/serving-certificates.js';
import { createRegistries, ensureSystemNamespaces } from './registry/registries.js';
import { kubernetesServiceIP } from './registry/strategies/service-ranges.js';
import type { Authenticate } from './rest/authentication.js';
import { startRestServer } from './rest/rest-server.js';
import { MemoryStorage } from './storage/memory-storage.js';
import { DEFAULT_BUCKET, NatsStorage } from './storage/nats-storage.js';
import type { Storage } from './storage/types.js';

export interface StartApiServerOptions {
  logger?: Logger;
  /** How long to keep trying to reach NATS at start (it may still be starting). */
  storageOpenTimeoutMs?: number;
}

export interface RunningApiServer {
  /** "https://127.0.0.1:6443" */
  restUrl: string;
  /** The gRPC address bound ("127.0.0.1:6444" or "unix:/path"). */
  grpcAddress: string;
  /** The CA that signed the serving certificate (for kubeconfigs). */
  caCertPath: string;
  /** Stops accepting, ends watches, closes the storage. Safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_STORAGE_OPEN_TIMEOUT_MS = 30_000;
const STORAGE_OPEN_RETRY_MS = 500;
const ANONYMOUS = 'system:anonymous';

export async function startApiServer(
  config: ApiServerConfig,
  options: StartApiServerOptions = {},
): Promise<RunningApiServer> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const serviceIP = kubernetesServiceIP(config.serviceClusterIPRange);
  const advertiseAddress = advertiseAddressFor(config);
  const certificates = await attempt('prepare the serving certificates', () =>
    ensureServingCertificates({
      certDir: config.certDir,
      extraNames: [...extraNamesFor(config.bindAddress), advertiseAddress],
      kubernetesServiceIP: serviceIP,
    }),
  );
  if (certificates.created.ca) logger.info({ certDir: config.certDir }, 'made a new cluster CA');
  if (certificates.created.serving) logger.info({ certDir: config.certDir }, 'issued the serving certificate');

  const tokens = config.tokenFile ? await loadTokenFile(config.tokenFile) : undefined;
  if (!tokens) logger.warn('no --token-file: every request is accepted as the anonymous user');
  const kubeletToken = config.kubeletTokenFile ? await loadKubeletToken(config.kubeletTokenFile) : undefined;
  if (kubeletToken === undefined) logger.warn('no --kubelet-token-file: kubelets are called without credentials');

  const storage = await openStorage(config, logger, options.storageOpenTimeoutMs ?? DEFAULT_STORAGE_OPEN_TIMEOUT_MS);
  let ready = false;
  const closers: Array<() => Promise<void>> = [];
  try {
    const registries = createRegistries(storage, {
      serviceRanges: { clusterIPRange: config.serviceClusterIPRange, nodePortRange: config.serviceNodePortRange },
    });
    await attempt('create the system namespaces', () => ensureSystemNamespaces(registries));

    const rest = await attempt(`serve HTTPS on ${config.bindAddress}:${config.securePort}`, () =>
      startRestServer({
        registries,
        host: config.bindAddress,
        port: config.securePort,
        tls: { cert: certificates.cert, key: certificates.key },
        authenticate: authenticatorFor(tokens),
        ready: () => ready,
        logger,
        ...(kubeletToken !== undefined ? { kubeletToken } : {}),
      }),
    );
    closers.push(() => rest.close());

    const grpc = await attempt(`serve gRPC on ${config.grpcAddress}`, () =>
      startGrpcServer({
        registries,
        address: config.grpcAddress,
        ...(tokens ? { token: firstToken(tokens) } : {}),
        onServerError: (method, error) => logger.error({ method, err: error }, 'gRPC call failed'),
      }),
    );
    closers.push(() => grpc.stop());

    // The Service's target port is the port bound (0 in the flags picks a free one).
    const kubernetesService = await startKubernetesServiceController(
      registries,
      { clusterIP: serviceIP, self: { ip: advertiseAddress, port: Number(new URL(rest.url).port) } },
      { logger },
    );

    ready = true;
    logger.info({ restUrl: rest.url, grpcAddress: grpc.address, storage: config.storage }, 'apiserver is ready');

    let stopping: Promise<void> | undefined;
    return {
      restUrl: rest.url,
      grpcAddress: grpc.address,
      caCertPath: certificates.paths.caCert,
      stop: () => {
        stopping ??= (async () => {
          ready = false;
          // First out of the endpoints: clients are sent elsewhere before this server stops answering.
          await kubernetesService.stop();
          await closeAll(closers, logger);
          await storage.close().catch((err: unknown) => logger.warn({ err }, 'closing the storage failed'));
          logger.info('apiserver stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await closeAll(closers, logger);
    await storage.close().catch(() => undefined);
    throw err;
  }
}

async function openStorage(config: ApiServerConfig, logger: Logger, timeoutMs: number): Promise<Storage> {
  if (config.storage === 'memory') {
    logger.warn('storage is in memory: every object is lost when the process ends');
    return new MemoryStorage();
  }
  const deadline = Date.now() + timeoutMs;
  for (let attemptNo = 1; ; attemptNo++) {
    try {
      const storage = await NatsStorage.open({
        servers: config.natsServers,
        ...(config.bucket !== undefined ? { bucket: config.bucket } : {}),
        ...(config.replicas !== undefined ? { replicas: config.replicas } : {}),
        ...(config.history !== undefined ? { history: config.history } : {}),
        logger,
      });
      logger.info({ servers: config.natsServers, bucket: config.bucket ?? DEFAULT_BUCKET }, 'connected to NATS');
      return storage;
    } catch (err) {
      if (Date.now() + STORAGE_OPEN_RETRY_MS > deadline) {
        throw new Error(
          `failed to open the NATS storage at ${config.natsServers.join(',')} after ${attemptNo} attempts: ${messageOf(err)}`,
          { cause: err },
        );
      }
      logger.warn({ err: messageOf(err), attempt: attemptNo }, 'NATS is not reachable yet; retrying');
      await sleep(STORAGE_OPEN_RETRY_MS);
    }
  }
}

/** Without a token file every caller is anonymous, as kube-apiserver with no authenticator. */
function authenticatorFor(tokens: Map<string, TokenUser> | undefined): Authenticate {
  if (!tokens) return () => ({ user: ANONYMOUS });
  return (token) => {
    if (token === undefined) return undefined;
    const found = tokens.get(token);
    return found ? { user: found.user } : undefined;
  };
}

/** The gRPC server takes one token; the file's first line is the cluster's own (tkube up writes one). */
function firstToken(tokens: Map<string, TokenUser>): string | undefined {
  return tokens.keys().next().value;
}

/** The bind address is a name clients use, unless it is a wildcard. */
function extraNamesFor(bindAddress: string): string[] {
  return bindAddress === '0.0.0.0' || bindAddress === '::' ? [] : [bindAddress];
}

async function closeAll(closers: Array<() => Promise<void>>, logger: Logger): Promise<void> {
  const results = await Promise.allSettled(closers.splice(0).map((close) => close()));
  for (const result of results) {
    if (result.status === 'rejected') logger.warn({ err: result.reason }, 'a server did not close cleanly');
  }
}

async function attempt<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new Error(`failed to ${what}: ${messageOf(err)}`, { cause: err });
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
