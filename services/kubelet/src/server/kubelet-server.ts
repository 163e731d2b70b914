/**
 * The kubelet API (kube's pkg/kubelet/server), on HTTPS at --address:--port, each request
 * authenticated by `Authorization: Bearer <token>`:
 * - GET /healthz, /livez: "ok" while it answers; /readyz: "ok" once it runs this node's pods
 *   (registered, pods listed), 503 before
 * - GET /metrics: Prometheus text, the kubelet's and the process's
 * - GET /containerLogs/{namespace}/{pod}/{container}?follow&tailLines&sinceSeconds&sinceTime&previous&timestamps&limitBytes
 * - GET /exec/{namespace}/{pod}/{container}?command=..&stdin&stdout&stderr&tty (WebSocket upgrade)
 * - GET /attach/{namespace}/{pod}/{container}?stdin&stdout&stderr&tty (WebSocket upgrade)
 * The apiserver's pods/log and pods/exec proxy to exactly these paths. Errors answer a
 * Kubernetes Status.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { StatusError, toStatusError } from '@tkube/api';
import { METRICS_CONTENT_TYPE, processMetrics, writeHealth } from '@tkube/process';
import type { Logger } from 'pino';
import type { FollowTarget } from './log-reader.js';
import { readLogs } from './log-reader.js';
import { proxyStream, rejectUpgrade } from './stream-proxy.js';

export interface LocatedContainer {
  containerId: string;
  logPath: string;
  follow: FollowTarget;
}

/** Finds a container of a pod on this node; throws StatusError (404, 400) when it cannot. */
export interface ContainerLocator {
  locate(namespace: string, pod: string, container: string | undefined, previous: boolean): Promise<LocatedContainer>;
  exec(containerId: string, command: string[], options: StreamOptions): Promise<string>;
  attach(containerId: string, options: StreamOptions): Promise<string>;
}

export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export interface KubeletServerOptions {
  host: string;
  port: number;
  tls: { cert: Buffer; key: Buffer };
  /** The bearer token requests must carry. */
  token: string;
  locator: ContainerLocator;
  logger: Logger;
  /** Whether /readyz answers "ok" (always, when absent). */
  ready?: () => boolean;
  /** The kubelet's own metrics in the Prometheus text format; the process's are added. */
  metrics?: () => string;
}

export interface RunningKubeletServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startKubeletServer(options: KubeletServerOptions): Promise<RunningKubeletServer> {
  const sockets = new Set<Duplex>();
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key }, (req, res) => {
    handle(options, req, res).catch((err: unknown) => sendError(res, toStatusError(err)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    upgrade(options, req, socket, head).catch((err: unknown) => {
      const status = toStatusError(err);
      rejectUpgrade(socket, status.code, status.message);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function authorized(options: KubeletServerOptions, req: IncomingMessage): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(options.token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

interface ContainerPath {
  verb: 'containerLogs' | 'exec' | 'attach';
  namespace: string;
  pod: string;
  container?: string;
}

function containerPath(url: URL): ContainerPath | undefined {
  const parts = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const [verb, namespace, pod, container] = parts;
  if ((verb !== 'containerLogs' && verb !== 'exec' && verb !== 'attach') || !namespace || !pod || parts.length > 4) {
    return undefined;
  }
  return { verb, namespace, pod, ...(container ? { container } : {}) };
}

async function handle(options: KubeletServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!authorized(options, req)) throw StatusError.unauthorized();
  const url = new URL(req.url ?? '/', 'https://kubelet');
  if (req.method !== 'GET') throw StatusError.methodNotAllowed(`${req.method} is not supported`);
  const [first] = url.pathname.split('/').filter((part) => part !== '');
  if (first === 'healthz' || first === 'livez' || first === 'readyz') {
    writeHealth(res, first, options.ready ?? (() => true));
    return;
  }
  if (url.pathname === '/metrics') {
    const body = `${options.metrics?.() ?? ''}${processMetrics()}`;
    res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(body) }).end(body);
    return;
  }
  const path = containerPath(url);
  if (!path) throw StatusError.pathNotFound();
  if (path.verb !== 'containerLogs')
    throw StatusError.badRequest(`${path.verb} needs a WebSocket upgrade (v5.channel.k8s.io)`);
  await serveLogs(options, path, url, res);
}

async function serveLogs(
  options: KubeletServerOptions,
  path: ContainerPath,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  const q = url.searchParams;
  const previous = flag(q.get('previous'));
  const follow = flag(q.get('follow')) && !previous;
  const located = await options.locator.locate(path.namespace, path.pod, path.container, previous);
  const sinceSeconds = integer(q.get('sinceSeconds'), 'sinceSeconds');
  const sinceTimeText = q.get('sinceTime');
  const sinceTime =
    sinceSeconds !== undefined
      ? Date.now() - sinceSeconds * 1000
      : sinceTimeText
        ? Date.parse(sinceTimeText)
        : undefined;
  if (sinceTime !== undefined && Number.isNaN(sinceTime))
    throw StatusError.badRequest(`invalid sinceTime "${sinceTimeText}"`);
  const tailLines = integer(q.get('tailLines'), 'tailLines');
  const limitBytes = integer(q.get('limitBytes'), 'limitBytes');
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache' });
  const sink = {
    closed: false,
    write: (text: string) => res.write(text),
  };
  // The response's close (not the request's, which ends once a GET was read) says the client left.
  res.on('close', () => {
    sink.closed = true;
  });
  try {
    await readLogs(
      located.logPath,
      {
        timestamps: flag(q.get('timestamps')),
        follow,
        ...(tailLines !== undefined ? { tailLines } : {}),
        ...(sinceTime !== undefined ? { sinceTime } : {}),
        ...(limitBytes !== undefined ? { limitBytes } : {}),
      },
      sink,
      located.follow,
    );
  } catch (err) {
    options.logger.warn({ err, path: url.pathname }, 'reading container logs failed');
  }
  res.end();
}

async function upgrade(
  options: KubeletServerOptions,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  if (!authorized(options, req)) throw StatusError.unauthorized();
  const url = new URL(req.url ?? '/', 'https://kubelet');
  const path = containerPath(url);
  if (!path || path.verb === 'containerLogs') throw StatusError.pathNotFound();
  const q = url.searchParams;
  const tty = flag(q.get('tty'));
  const streams: StreamOptions = {
    stdin: flag(q.get('stdin') ?? q.get('input')),
    stdout: flag(q.get('stdout') ?? q.get('output')),
    // A terminal has one output stream: kubectl asks for stderr with -it anyway, and the
    // real kubelet drops it (a CRI runtime refuses tty together with stderr).
    stderr: !tty && flag(q.get('stderr') ?? q.get('error')),
    tty,
  };
  if (!streams.stdin && !streams.stdout && !streams.stderr) {
    throw StatusError.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  }
  const located = await options.locator.locate(path.namespace, path.pod, path.container, false);
  let runtimeUrl: string;
  if (path.verb === 'exec') {
    const command = q.getAll('command');
    if (command.length === 0) throw StatusError.badRequest('you must specify at least one command for the container');
    runtimeUrl = await options.locator.exec(located.containerId, command, streams);
  } else {
    runtimeUrl = await options.locator.attach(located.containerId, streams);
  }
  await proxyStream(req, socket, head, runtimeUrl);
}

function flag(value: string | null): boolean {
  return value !== null && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

function integer(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw StatusError.badRequest(`${name} must be a non-negative integer, not "${value}"`);
  return Number(value);
}

function sendError(res: ServerResponse, error: StatusError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(error.code, { 'Content-Type': 'application/json' }).end(JSON.stringify(error.toStatus()));
}
