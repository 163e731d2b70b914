/**
 * The apiserver's gRPC server: the API of proto/api.proto over the registries, on TCP
 * ("127.0.0.1:6444") or a unix socket ("unix:/run/tkube/api.sock").
 *
 * Transport security: plaintext for now, meant for loopback and unix sockets; TLS
 * (server certificate and client certificates) comes with the apiserver's PKI.
 */
import type { ServerOptions } from '@grpc/grpc-js';
import { Server } from '@grpc/grpc-js';
import type { StatusError } from '@tkube/api';
import { grpcApi } from '@tkube/api';
import { serveGrpc } from '@tkube/process';
import { createGrpcService } from './api-service.js';
import { bearerTokenAuthenticator } from './authentication.js';
import type { RegistryLookup } from './types.js';

export type { GrpcServiceOptions } from './api-service.js';
export { createGrpcService } from './api-service.js';

export interface GrpcServerConfig {
  registries: RegistryLookup;
  /** "host:port" (port 0 picks a free one) or "unix:/path/to.sock". */
  address: string;
  /** When set, every call must carry `authorization: Bearer <token>`. */
  token?: string;
  /** How long stop() waits for calls in flight before cutting them off. */
  shutdownGraceMs?: number;
  /** Told about failures that are the server's fault (5xx), for the log. */
  onServerError?: (method: string, error: StatusError) => void;
}

export interface RunningGrpcServer {
  /** The address bound, with the chosen port for TCP. */
  address: string;
  port?: number;
  /** Ends open watches, lets calls in flight finish (within the grace), closes the server. */
  stop(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

const SERVER_OPTIONS: ServerOptions = {
  // Lists of a large cluster exceed grpc's 4 MiB default.
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  // Pings find clients that vanished without closing their watch streams.
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
};

export async function startGrpcServer(config: GrpcServerConfig): Promise<RunningGrpcServer> {
  const shutdown = new AbortController();
  const server = new Server(SERVER_OPTIONS);
  const service = createGrpcService(config.registries, {
    ...(config.token !== undefined ? { authenticate: bearerTokenAuthenticator(config.token) } : {}),
    shutdown: shutdown.signal,
    ...(config.onServerError ? { onServerError: config.onServerError } : {}),
  });
  server.addService(grpcApi.ApiServerService, service);

  const serving = await serveGrpc(server, config.address, { graceMs: config.shutdownGraceMs });
  return {
    address: serving.address,
    port: serving.port,
    stop: () => {
      shutdown.abort();
      return serving.stop();
    },
  };
}
