/**
 * The gRPC face of the plugin: NetworkPlugin (proto/cni/cni.proto) on a unix socket.
 * Thin on purpose: each handler hands the request to the BridgePlugin and turns a
 * failure into a NetworkPluginError, which travels to the caller with its CNI code.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { NetworkPluginServer } from '@tkube/api/cni';
import { NetworkPluginError, NetworkPluginService } from '@tkube/api/cni';
import type { BridgePlugin, PluginLogger } from './bridge-plugin.js';
import { errnoOf, messageOf } from './error-info.js';
import { CommandError } from './host/command-runner.js';

export interface RunningServer {
  /** The address the server listens on ("unix:///run/tkube/cni-bridge.sock"). */
  readonly address: string;
  /** Stops taking calls, lets the ones in flight finish (up to the grace period) and removes the socket. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServerLogger extends PluginLogger {
  error(fields: object, message: string): void;
}

const UNIX_PREFIX = 'unix://';

/** Turns any failure into the error the caller receives. */
export function toNetworkPluginError(error: unknown): NetworkPluginError {
  if (error instanceof NetworkPluginError) return error;
  if (error instanceof CommandError) {
    return NetworkPluginError.ioFailure(`${error.command[0]} failed: ${error.stderr.trim()}`, error.message, error);
  }
  return NetworkPluginError.ioFailure(messageOf(error), '', error);
}

export function networkPluginHandlers(plugin: BridgePlugin, logger: ServerLogger): NetworkPluginServer {
  const unary =
    <Req, Res>(method: string, handle: (request: Req) => Promise<Res> | Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      Promise.resolve()
        .then(() => handle(call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) => {
            const failure = toNetworkPluginError(error);
            logger.warn({ method, code: failure.code, err: failure, details: failure.details }, `${method} failed`);
            callback(failure.toGrpcError());
          },
        );
    };
  return {
    add: unary('Add', (request) => plugin.add(request)),
    del: unary('Del', async (request) => {
      await plugin.del(request);
      return {};
    }),
    check: unary('Check', async (request) => {
      await plugin.check(request);
      return {};
    }),
    version: unary('Version', () => plugin.version()),
    status: unary('Status', () => plugin.status()),
    gc: unary('Gc', async (request) => ({ released: await plugin.gc(request.validAttachments) })),
  };
}

/** Serves the plugin on `listen` ("unix:///path.sock"), replacing a stale socket file. */
export async function startNetworkPluginServer(
  listen: string,
  plugin: BridgePlugin,
  logger: ServerLogger,
): Promise<RunningServer> {
  const socketPath = socketPathOf(listen);
  await mkdir(dirname(socketPath), { recursive: true, mode: 0o755 });
  await removeStaleSocket(socketPath);
  const server = new Server();
  server.addService(NetworkPluginService, networkPluginHandlers(plugin, logger));
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(listen, ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve()));
  });
  return {
    address: listen,
    async stop(graceMs = 5_000) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await rm(socketPath, { force: true });
    },
  };
}

export function socketPathOf(listen: string): string {
  if (!listen.startsWith(UNIX_PREFIX) || !listen.slice(UNIX_PREFIX.length).startsWith('/')) {
    throw new Error(`the listen address must be unix:///absolute/path.sock, not ${listen}`);
  }
  return listen.slice(UNIX_PREFIX.length);
}

async function removeStaleSocket(path: string): Promise<void> {
  try {
    const existing = await stat(path);
    if (!existing.isSocket()) throw new Error(`${path} exists and is not a socket`);
    await rm(path);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}
