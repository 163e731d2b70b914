/**
 * The Kubernetes REST API over HTTPS: authentication, discovery, OpenAPI, health, and the
 * resource verbs, each request routed to one handler. Every failure answers as a Status;
 * nothing a client sends can crash the process.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type Node, StatusError } from '@tkube/api';
import { METRICS_CONTENT_TYPE, writeHealth } from '@tkube/process';
import { type Logger, pino } from 'pino';
import type { Registries } from '../registry/registries.js';
import { type Authenticate, authenticateRequest, isPublic } from './authentication.js';
import {
  aggregatedDiscovery,
  groupDocument,
  groupList,
  legacyVersions,
  resourceList,
  versionInfo,
} from './discovery.js';
import { KubeletClient } from './kubelet-proxy/kubelet-client.js';
import { isPodStreamUpgrade, PodStreamProxy } from './kubelet-proxy/pod-stream-proxy.js';
import { RequestMetrics, requestVerb } from './metrics.js';
import { AGGREGATED_DISCOVERY_V2, wantsAggregatedDiscovery } from './negotiation.js';
import { OpenApiDocuments } from './openapi.js';
import { OPENAPI_V2_PROTOBUF, openApiV2Format } from './openapi-v2-media.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { dispatchResource } from './resource-dispatch.js';
import { writeError, writeJson } from './response.js';
import { type Route, route } from './router.js';

export interface RestServerOptions {
  registries: Registries;
  /** 127.0.0.1 by default. */
  host?: string;
  /** 6443 by default; 0 picks a free port (tests). */
  port?: number;
  /** PEM; the caller makes the CA and the serving certificate. */
  tls: { cert: string | Buffer; key: string | Buffer };
  /** Maps a bearer token to its user; undefined answers 401. */
  authenticate: Authenticate;
  /** For /readyz; ready when absent. */
  ready?: () => boolean;
  logger?: Logger;
  /** Larger bodies get 413; 3 MiB by default, as kube-apiserver. */
  maxBodyBytes?: number;
  /** The bearer token sent to kubelets (pods/log, exec, attach); none when absent. */
  kubeletToken?: string;
}

export interface RestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** How long, and how much more, a refused upload may send before it is answered and cut. */
const DRAIN_MAX_MS = 5_000;
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

interface ServerContext {
  options: RestServerOptions;
  logger: Logger;
  openapi: OpenApiDocuments;
  metrics: RequestMetrics;
  kubelet: KubeletClient;
  serverAddress: () => string;
}

function writeDocument(res: ServerResponse, body: string, cacheable: boolean): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', cacheable ? 'public, immutable' : 'no-cache, private');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/**
 * /openapi/v2 in the encoding asked for. Both encodings carry the JSON document's ETag (its
 * SHA-512, as kube-apiserver sends, with Vary: Accept), so a client holding it gets 304.
 */
function writeOpenApiV2(req: IncomingMessage, res: ServerResponse, openapi: OpenApiDocuments): void {
  const format = openApiV2Format(req.headers.accept);
  if (!format) {
    throw StatusError.notAcceptable(`only application/json and ${OPENAPI_V2_PROTOBUF} are served for /openapi/v2`);
  }
  const contentType = format === 'protobuf' ? OPENAPI_V2_PROTOBUF : 'application/json';
  const etag = `"${openapi.v2Document().hash}"`;
  res.setHeader('Vary', 'Accept');
  res.setHeader('Content-Type', contentType);
  res.setHeader('ETag', etag);
  if (req.headers['if-none-match']?.includes(etag)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const body = format === 'protobuf' ? openapi.v2Protobuf() : openapi.v2Document().body;
  res.statusCode = 200;
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

function writeDiscovery(req: IncomingMessage, res: ServerResponse, context: ServerContext, legacy: boolean): void {
  const infos = context.options.registries.all().map((registry) => registry.info);
  if (wantsAggregatedDiscovery(req.headers.accept)) {
    writeJson(res, 200, aggregatedDiscovery(infos, legacy), AGGREGATED_DISCOVERY_V2);
    return;
  }
  writeJson(res, 200, legacy ? legacyVersions(context.serverAddress()) : groupList(infos));
}

async function serveRoute(
  target: Route,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  context: ServerContext,
): Promise<void> {
  const { options } = context;
  // Like kube-apiserver, authentication comes first: strangers learn nothing, not even a 404.
  const user = isPublic(target) ? undefined : authenticateRequest(req.headers, options.authenticate);
  if (target.type === 'health') {
    writeHealth(res, target.check, options.ready ?? (() => true));
    return;
  }
  if (target.type === 'version') {
    writeJson(res, 200, versionInfo());
    return;
  }
  if (target.type === 'not-found' || !user) throw StatusError.pathNotFound();
  const method = req.method ?? 'GET';
  if (target.type !== 'resource' && method !== 'GET' && method !== 'HEAD') {
    throw StatusError.methodNotAllowed('the server does not allow this method on the requested resource');
  }
  const infos = () => options.registries.all().map((registry) => registry.info);
  switch (target.type) {
    case 'legacy-versions':
      return writeDiscovery(req, res, context, true);
    case 'groups':
      return writeDiscovery(req, res, context, false);
    case 'group': {
      const doc = groupDocument(infos(), target.group);
      if (!doc) throw StatusError.pathNotFound();
      return writeJson(res, 200, doc);
    }
    case 'resource-list': {
      const doc = resourceList(infos(), target.group, target.version);
      if (!doc) throw StatusError.pathNotFound();
      return writeJson(res, 200, doc);
    }
    case 'openapi-v2':
      // kubectl asks for protobuf only (client-side validation of a List reads it).
      return writeOpenApiV2(req, res, context.openapi);
    case 'metrics': {
      const body = context.metrics.render();
      res.statusCode = 200;
      res.setHeader('Content-Type', METRICS_CONTENT_TYPE);
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.end(body);
      return;
    }
    case 'openapi-v3-index':
      return writeDocument(res, context.openapi.v3Index().body, false);
    case 'openapi-v3': {
      const doc = context.openapi.groupVersion(target.group, target.version);
      if (!doc) throw StatusError.pathNotFound();
      return writeDocument(res, doc.body, url.searchParams.get('hash') === doc.hash);
    }
    case 'resource':
      await dispatchResource({
        req,
        res,
        path: target,
        registries: options.registries,
        query: url.searchParams,
        user,
        maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
        logger: context.logger,
        kubelet: context.kubelet,
      });
      return;
  }
}

/**
 * Reads and discards the rest of a refused upload before answering, within bounds: a client
 * still writing when the connection closes gets a write error instead of the 413.
 */
function drainRefusedUpload(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    if (req.readableEnded) return resolve();
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_MAX_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_MAX_MS);
    req.on('data', onData);
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ServerContext): Promise<void> {
  const started = Date.now();
  res.setHeader('Audit-Id', randomUUID());
  res.setHeader('Cache-Control', 'no-cache, private');
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'https://apiserver');
  } catch {
    url = new URL('https://apiserver/');
  }
  const target = route(url.pathname);
  try {
    await serveRoute(target, req, res, url, context);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      await drainRefusedUpload(req);
      res.setHeader('Connection', 'close');
    }
    const error = writeError(res, err);
    if (error.code >= 500) context.logger.error({ err, method: req.method, url: req.url }, 'request failed');
  } finally {
    context.metrics.observe(
      metricLabels(target, req.method ?? 'GET', url, res.statusCode),
      (Date.now() - started) / 1000,
    );
    context.logger.debug(
      { method: req.method, url: req.url, code: res.statusCode, ms: Date.now() - started },
      'request',
    );
  }
}

function metricLabels(target: Route, method: string, url: URL, code: number) {
  if (target.type !== 'resource') return { verb: method.toLowerCase(), group: '', version: '', resource: '', code };
  const resource = target.subresource ? `${target.resource}/${target.subresource}` : target.resource;
  const verb = requestVerb(method, target.name !== undefined, url.searchParams, target.legacyWatch);
  return { verb, group: target.group, version: target.version, resource, code };
}

function nodeGetter(registries: Registries): (name: string) => Promise<Node> {
  return async (name) => {
    const nodes = registries.get('', 'v1', 'nodes');
    if (!nodes) throw StatusError.internal('the nodes resource is not served');
    return (await nodes.get(undefined, name)) as Node;
  };
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const host = options.host ?? '127.0.0.1';
  let address: AddressInfo | undefined;
  const infos = options.registries.all().map((registry) => registry.info);
  const kubelet = new KubeletClient({
    getNode: (name) => nodeGetter(options.registries)(name),
    ...(options.kubeletToken !== undefined ? { token: options.kubeletToken } : {}),
  });
  const context: ServerContext = {
    options,
    logger,
    openapi: new OpenApiDocuments(infos),
    metrics: new RequestMetrics(),
    kubelet,
    serverAddress: () => `${host}:${address?.port ?? options.port ?? 6443}`,
  };
  const streams = new PodStreamProxy({
    registries: options.registries,
    authenticate: options.authenticate,
    kubelet,
    logger,
  });
  const tlsOptions = {
    cert: options.tls.cert,
    key: options.tls.key,
    // Only exec and attach upgrade; any other request carrying an Upgrade header is served as a plain one.
    shouldUpgradeCallback: isPodStreamUpgrade,
  };
  const server = createServer(tlsOptions, (req, res) => {
    handle(req, res, context).catch((err: unknown) => {
      logger.error({ err }, 'unhandled error while answering a request');
      if (!res.headersSent) writeError(res, err);
      else res.destroy();
    });
  });
  // Malformed HTTP never reaches a handler; answer 400 and drop the connection.
  server.on('clientError', (err, socket) => {
    logger.debug({ err }, 'malformed request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.on('tlsClientError', (err) => logger.debug({ err }, 'TLS handshake failed'));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    streams.handleUpgrade(req, socket, head),
  );
  address = await listen(server, host, options.port ?? 6443);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `https://${urlHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Watches are long-lived: end every connection so close() does not wait for them.
        server.closeAllConnections();
        // Upgraded connections belong to the stream proxy, no longer to the HTTP server.
        streams.close();
        kubelet.close();
      }),
  };
}
