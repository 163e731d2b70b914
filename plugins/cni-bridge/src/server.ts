/**
 * The gRPC face of the plugin: NetworkPlugin (proto/cni/cni.proto) on a unix socket.
 * Thin on purpose: each handler hands the request to the plugin and turns a
 * failure into a NetworkPluginError, which travels to the caller with its CNI code.
 */
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { Server } from '@grpc/grpc-js';
import type { NetworkPluginServer } from '@tkube/api/cni';
import { NetworkPluginError, NetworkPluginService } from '@tkube/api/cni';
import { serveGrpc } from '@tkube/process';
import type { PluginLogger } from './bridge-plugin.js';
import { messageOf } from './error-info.js';
import { CommandError } from './host/command-runner.js';
import type { NetworkPluginOperations } from './network-plugin.js';

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

export function networkPluginHandlers(plugin: NetworkPluginOperations, logger: ServerLogger): NetworkPluginServer {
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
  plugin: NetworkPluginOperations,
  logger: ServerLogger,
): Promise<RunningServer> {
  checkListenAddress(listen);
  const server = new Server();
  server.addService(NetworkPluginService, networkPluginHandlers(plugin, logger));
  const serving = await serveGrpc(server, listen);
  return { address: listen, stop: (graceMs) => serving.stop(graceMs) };
}

/** The kubelet is pointed at the plugin by its socket's path, so that path is absolute. */
function checkListenAddress(listen: string): void {
  if (!listen.startsWith(UNIX_PREFIX) || !listen.slice(UNIX_PREFIX.length).startsWith('/')) {
    throw new Error(`the listen address must be unix:///absolute/path.sock, not ${listen}`);
  }
}
