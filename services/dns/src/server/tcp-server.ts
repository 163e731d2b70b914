/**
 * DNS over TCP (RFC 1035 4.2.2, RFC 7766): every message in both directions is prefixed
 * with its length on two bytes; a connection may carry many queries one after the other
 * (answered in order), and is closed after an idle while so that idle clients do not
 * hold sockets for ever.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { MessageHandler, ServerLogger } from './types.js';

export interface TcpDnsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** RFC 7766 asks for seconds, not minutes. */
export const TCP_IDLE_TIMEOUT_MS = 10_000;
/** Beyond this, new connections are refused: a flood of idle sockets must not exhaust the process. */
export const MAX_TCP_CONNECTIONS = 256;

export function listenTcp(
  host: string,
  port: number,
  handle: MessageHandler,
  logger: ServerLogger,
): Promise<TcpDnsServer> {
  const connections = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    serveConnection(socket, handle, logger);
  });
  server.maxConnections = MAX_TCP_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      server.on('error', (err) => logger.warn({ err }, 'TCP server error'));
      const address = server.address();
      let closed: Promise<void> | undefined;
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () =>
          (closed ??= new Promise((done) => {
            server.close(() => done());
            for (const socket of connections) socket.destroy();
          })),
      });
    });
  });
}

function serveConnection(socket: Socket, handle: MessageHandler, logger: ServerLogger): void {
  let buffered: Buffer = Buffer.alloc(0);
  socket.setTimeout(TCP_IDLE_TIMEOUT_MS, () => socket.end());
  socket.on('error', (err) => logger.debug({ err }, 'TCP connection error'));
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) break;
      const message = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      let response: Buffer | undefined;
      try {
        response = handle(message, 'tcp');
      } catch (err) {
        logger.warn({ err, peer: socket.remoteAddress }, 'answering a TCP query failed');
        socket.destroy();
        return;
      }
      if (!response) continue;
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(response.length);
      socket.write(Buffer.concat([prefix, response]));
    }
  });
}
