/**
 * The endpoints every tkube service serves besides its own API (DESIGN.md), on plain HTTP:
 * - GET /healthz and /livez: "ok" while the process runs and answers;
 * - GET /readyz: "ok" once the program does its job (caches synced, rules written, DNS
 *   served), 503 before;
 * - GET /metrics: Prometheus text, the program's own metrics and the process's.
 * Individual checks (/healthz/ping, /readyz/informer-sync ...) answer like the aggregate,
 * as the apiserver's do. HEAD works like GET; anything else is 405.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HealthCheck = 'healthz' | 'livez' | 'readyz';

export interface HealthServerOptions {
  /** "host:port"; port 0 lets the kernel pick one. */
  address: string;
  /** Whether /readyz answers "ok". */
  ready(): boolean;
  /** The program's own metrics in the Prometheus text format; the process's are added. */
  metrics?(): string;
}

export interface ServingHealth {
  /** "host:port" as bound, with the chosen port. */
  address: string;
  port: number;
  close(): Promise<void>;
}

/** What startHealthServer logs to: pino's Logger, or any logger with these two. */
export interface HealthLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** What a service's flag for these endpoints is called, as kube-proxy calls it. */
export const HEALTHZ_FLAG = 'healthz-bind-address';

export async function serveHealth(options: HealthServerOptions): Promise<ServingHealth> {
  const { host, port } = hostAndPort(options.address);
  const server = createServer((req, res) => answer(req, res, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    address: `${host}:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * serveHealth for a service's start: an address that cannot be bound (taken by a second
 * instance on the same host, as a standby scheduler is) is logged and the service goes on
 * without these endpoints, as kube-proxy does with its healthz server. No address: none.
 */
export async function startHealthServer(
  options: Omit<HealthServerOptions, 'address'> & { address: string | undefined },
  logger: HealthLogger,
): Promise<ServingHealth | undefined> {
  const { address } = options;
  if (address === undefined) return undefined;
  try {
    const serving = await serveHealth({ ...options, address });
    logger.info({ address: serving.address }, 'serving /healthz, /readyz and /metrics');
    return serving;
  } catch (err) {
    logger.error(
      { address, err: err instanceof Error ? err.message : String(err) },
      `cannot serve /healthz, /readyz and /metrics (--${HEALTHZ_FLAG}); going on without them`,
    );
    return undefined;
  }
}

/** /healthz, /livez and /readyz: "ok" in plain text, 503 while not ready (the apiserver's text). */
export function writeHealth(res: ServerResponse, check: HealthCheck, ready: () => boolean): void {
  const healthy = check !== 'readyz' || ready();
  const text = healthy ? 'ok' : '[-]readiness failed: the server is not ready\nreadyz check failed';
  res.statusCode = healthy ? 200 : 503;
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Cache-Control', 'no-cache, private');
  writeText(res, text);
}

/** Gauges and counters of this Node.js process, named as Prometheus' client libraries name them. */
export function processMetrics(): string {
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  const startSeconds = Math.round((Date.now() - process.uptime() * 1000) / 1000);
  return [
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    '# HELP process_resident_memory_bytes Resident memory size in bytes.',
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${memory.rss}`,
    '# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.',
    '# TYPE process_start_time_seconds gauge',
    `process_start_time_seconds ${startSeconds}`,
    '# HELP nodejs_heap_size_used_bytes Process heap size used from Node.js in bytes.',
    '# TYPE nodejs_heap_size_used_bytes gauge',
    `nodejs_heap_size_used_bytes ${memory.heapUsed}`,
    '',
  ].join('\n');
}

/** The content type of the Prometheus text exposition format. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

function answer(req: IncomingMessage, res: ServerResponse, options: HealthServerOptions): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('Allow', 'GET, HEAD');
    writeText(res, 'method not allowed');
    return;
  }
  const path = new URL(req.url ?? '/', 'http://health').pathname;
  const [first = ''] = path.split('/').filter((part) => part !== '');
  if (first === 'healthz' || first === 'livez' || first === 'readyz') {
    writeHealth(res, first, options.ready);
    return;
  }
  if (path === '/metrics') {
    let own: string;
    try {
      own = options.metrics?.() ?? '';
    } catch (err) {
      res.statusCode = 500;
      writeText(res, `the metrics failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    res.statusCode = 200;
    writeText(res, `${own}${processMetrics()}`, METRICS_CONTENT_TYPE);
    return;
  }
  res.statusCode = 404;
  writeText(res, '404 page not found');
}

function writeText(res: ServerResponse, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

function hostAndPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`"${address}" is not host:port`);
  }
  return { host: address.slice(0, colon), port };
}
