/**
 * Serving a grpc-js server on TCP or a unix socket, and stopping it without hanging: calls
 * in flight get a grace period, then whatever is left (a long watch, a client that keeps
 * its connection open) is cut off. The socket file is made room for at start and removed
 * at stop.
 */
import { type Server, ServerCredentials } from '@grpc/grpc-js';
import { prepareSocketPath, removeSocketFile, unixSocketPathOf } from './unix-socket.js';

/** How long calls in flight may take to finish when the server stops, unless told. */
export const DEFAULT_GRACE_MS = 5_000;

export interface ServingGrpc {
  /** The address bound: TCP with the port chosen for port 0, or the unix address as given. */
  readonly address: string;
  /** The TCP port bound; undefined on a unix socket. */
  readonly port: number | undefined;
  /**
   * Takes no new calls, lets those in flight finish for up to `graceMs` (default: the grace
   * given to serveGrpc), cuts the rest off and removes the socket file. Safe to call twice.
   */
  stop(graceMs?: number): Promise<void>;
}

export interface ServeGrpcOptions {
  /** The grace of stop() when it is called without one (default DEFAULT_GRACE_MS). */
  graceMs?: number;
}

/**
 * Binds `server` (its services added) to `address`: "host:port" (port 0 picks a free one),
 * "unix:///abs/path.sock", "unix:/abs/path.sock" or "unix:relative.sock". Plaintext: meant
 * for loopback and unix sockets.
 */
export async function serveGrpc(server: Server, address: string, options: ServeGrpcOptions = {}): Promise<ServingGrpc> {
  const socketPath = unixSocketPathOf(address);
  if (socketPath !== undefined) await prepareSocketPath(socketPath);
  const port = await bind(server, address);

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = options.graceMs ?? DEFAULT_GRACE_MS): Promise<void> => {
    stopping ??= (async () => {
      await drain(server, graceMs);
      if (socketPath !== undefined) await removeSocketFile(socketPath);
    })();
    return stopping;
  };

  if (socketPath !== undefined) return { address, port: undefined, stop };
  return { address: withPort(address, port), port, stop };
}

function bind(server: Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, port) => {
      if (err) reject(new Error(`failed to listen for gRPC on ${address}: ${err.message}`, { cause: err }));
      else resolve(port);
    });
  });
}

function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cutOff = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(cutOff);
      resolve();
    });
  });
}

function withPort(address: string, port: number): string {
  const colon = address.lastIndexOf(':');
  return colon < 0 ? `${address}:${port}` : `${address.slice(0, colon)}:${port}`;
}
