/**
 * The streaming server Exec and Attach point at: HTTP on a loopback address, one URL per
 * request with a one-time token in its path (`/exec/<token>`), valid for a minute. The
 * kubelet proxies kubectl's WebSocket here unchanged; the session speaks the channel
 * protocol (v5.channel.k8s.io, or v4).
 */

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { DockerEngine } from '../docker/engine.js';
import { SUPPORTED_PROTOCOLS } from './channel-protocol.js';
import { runSession, type StreamRequest } from './session.js';
import { acceptWebSocket, reject } from './websocket.js';

const TOKEN_TTL_MS = 60_000;

interface PendingRequest {
  request: StreamRequest;
  expiresAt: number;
}

export interface StreamingServerOptions {
  engine: DockerEngine;
  logger: Logger;
  /** `host:port`; port 0 picks a free one. */
  address: string;
  tokenTtlMs?: number;
  now?: () => number;
}

export function parseHostPort(address: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(address.trim());
  if (!match) throw new Error(`invalid streaming address "${address}": expected host:port`);
  return { host: match[1] ?? match[2], port: Number(match[3]) };
}

export class StreamingServer {
  private readonly pending = new Map<string, PendingRequest>();
  private readonly sockets = new Set<Duplex>();
  private readonly server: Server;
  private baseUrl = '';
  private readonly now: () => number;

  constructor(private readonly options: StreamingServerOptions) {
    this.now = options.now ?? Date.now;
    this.server = createServer((_request, response) => {
      response.writeHead(400, { 'Content-Type': 'text/plain' });
      response.end(`streaming needs a WebSocket upgrade (${SUPPORTED_PROTOCOLS.join(', ')})\n`);
    });
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  async start(): Promise<void> {
    const { host, port } = parseHostPort(this.options.address);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const bound = this.server.address() as AddressInfo;
    const shownHost = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
    this.baseUrl = `http://${shownHost}:${bound.port}`;
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Registers a request and returns its one-time URL. */
  register(request: StreamRequest): string {
    this.sweep();
    const token = randomBytes(18).toString('base64url');
    this.pending.set(token, { request, expiresAt: this.now() + (this.options.tokenTtlMs ?? TOKEN_TTL_MS) });
    return `${this.baseUrl}/${request.kind}/${token}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Takes a token's request once; undefined when unknown, used or expired. */
  take(kind: string, token: string): StreamRequest | undefined {
    const entry = this.pending.get(token);
    this.pending.delete(token);
    if (!entry || entry.expiresAt < this.now() || entry.request.kind !== kind) return undefined;
    return entry.request;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const match = /^\/(exec|attach)\/([A-Za-z0-9_-]+)$/.exec(path);
    const streamRequest = match ? this.take(match[1], match[2]) : undefined;
    if (!streamRequest) {
      reject(socket, 404, 'unknown or expired streaming token');
      return;
    }
    const accepted = acceptWebSocket(request, socket, head, SUPPORTED_PROTOCOLS);
    if (!accepted) return;
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const { logger, engine } = this.options;
    logger.info(
      { kind: streamRequest.kind, containerId: streamRequest.containerId, protocol: accepted.protocol },
      'stream session',
    );
    runSession(engine, accepted.connection, accepted.protocol, streamRequest, logger).catch((err: unknown) => {
      logger.warn({ err }, 'stream session failed');
      accepted.connection.close(1011);
    });
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(token);
  }
}
