/**
 * pods/{name}/exec and pods/{name}/attach: the client's WebSocket upgrade is checked
 * (token, pod, container, node) and answered with a Status when it cannot go on; else a
 * WebSocket is opened to the pod's kubelet with the same streams and subprotocol offers,
 * the client's upgrade completes with the subprotocol the kubelet chose, and messages flow
 * both ways unchanged until either side closes. SPDY (kubectl's fallback) is not served.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Pod, StatusError, toStatusError } from '@tkube/api';
import type { Logger } from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Registries } from '../../registry/registries.js';
import { type Authenticate, authenticateRequest, authorize, bearerToken } from '../authentication.js';
import type { ResourceRequest } from '../resource-request.js';
import { type ResourcePath, route } from '../router.js';
import { assignedNode, chooseContainer } from './container-choice.js';
import type { ContainerRef, KubeletClient } from './kubelet-client.js';
import { RecentFailures } from './recent-failures.js';
import { kubeletStreamQuery, type StreamKind } from './stream-options.js';
import { refuseUpgrade } from './upgrade-refusal.js';
import { checkWebSocketHandshake, isWebSocketUpgrade, offeredProtocols } from './upgrade-request.js';
import { bridgeWebSockets } from './websocket-bridge.js';

export const SPDY_REFUSED =
  'unable to upgrade: tkube serves exec and attach over WebSocket (v5.channel.k8s.io) only, not SPDY';

const STREAM_KINDS: readonly string[] = ['exec', 'attach'];

type PodStreamPath = ResourcePath & { namespace: string; name: string; subresource: StreamKind };

function podStreamPath(pathname: string): PodStreamPath | undefined {
  const target = route(pathname);
  if (target.type !== 'resource' || target.group !== '' || target.version !== 'v1') return undefined;
  if (target.resource !== 'pods' || target.legacyWatch) return undefined;
  if (target.namespace === undefined || target.name === undefined) return undefined;
  if (target.subresource === undefined || !STREAM_KINDS.includes(target.subresource)) return undefined;
  return target as PodStreamPath;
}

function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'https://apiserver');
  } catch {
    return new URL('https://apiserver/');
  }
}

/** For the HTTPS server's shouldUpgradeCallback: other upgrade requests are served as plain requests. */
export function isPodStreamUpgrade(req: IncomingMessage): boolean {
  return req.headers.upgrade !== undefined && podStreamPath(requestUrl(req).pathname) !== undefined;
}

/** Looks up the pod, its container and node: the checks kube-apiserver makes before it dials a kubelet. */
async function streamTarget(
  pods: { get(namespace: string, name: string): Promise<unknown> },
  namespace: string,
  name: string,
  query: URLSearchParams,
): Promise<ContainerRef> {
  const pod = (await pods.get(namespace, name)) as Pod;
  const container = chooseContainer(pod, query.get('container') ?? undefined);
  return { nodeName: assignedNode(pod), namespace, pod: name, container };
}

/**
 * exec or attach reached as a plain request: after the same checks, 400 as
 * kube-apiserver's UpgradeAwareHandler answers when the upgrade is required.
 */
export async function requireUpgrade(request: ResourceRequest): Promise<void> {
  if (request.namespace === undefined || request.name === undefined) throw StatusError.pathNotFound();
  await streamTarget(request.registry, request.namespace, request.name, request.query);
  throw StatusError.badRequest('Upgrade request required');
}

/** kubectl's SPDY retry carries the same URL and credentials as its WebSocket attempt. */
function attemptKey(req: IncomingMessage): string {
  return `${bearerToken(req.headers) ?? ''} ${req.url ?? ''}`;
}

export interface PodStreamProxyOptions {
  registries: Registries;
  authenticate: Authenticate;
  kubelet: KubeletClient;
  logger: Logger;
}

export class PodStreamProxy {
  /** The subprotocol the kubelet chose, for completing the client's handshake with the same one. */
  private readonly chosenProtocol = new WeakMap<IncomingMessage, string>();
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<WebSocket>();
  private readonly failures = new RecentFailures();

  constructor(private readonly options: PodStreamProxyOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      handleProtocols: (_offered, req) => this.chosenProtocol.get(req) ?? false,
    });
  }

  /** The HTTPS server's 'upgrade' listener. Never throws: every failure is answered on the socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.options.logger.debug({ err }, 'exec/attach client connection failed'));
    this.upgrade(req, socket, head).catch((err: unknown) => {
      if (socket.destroyed) {
        // The client left while the kubelet was being reached: nobody to answer, nothing went wrong here.
        this.options.logger.debug({ err, url: req.url }, 'exec/attach client left before the upgrade');
        return;
      }
      const error = toStatusError(err);
      if (error.code >= 500) this.options.logger.error({ err, url: req.url }, 'exec/attach failed');
      if (isWebSocketUpgrade(req)) this.failures.record(attemptKey(req), error);
      refuseUpgrade(socket, error);
    });
  }

  /** Ends every live session (server shutdown). */
  close(): void {
    for (const socket of this.sessions) socket.terminate();
    this.sessions.clear();
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = requestUrl(req);
    // As for every other request, strangers learn nothing, not even whether the path exists.
    const user = authenticateRequest(req.headers, this.options.authenticate);
    const path = podStreamPath(url.pathname);
    const pods = this.options.registries.get('', 'v1', 'pods');
    if (!path || !pods) throw StatusError.pathNotFound();
    if (req.method !== 'GET' && req.method !== 'POST') {
      throw StatusError.methodNotAllowed('the server does not allow this method on the requested resource');
    }
    const { namespace, name, subresource: kind } = path;
    authorize(user, {
      verb: req.method === 'GET' ? 'get' : 'create',
      group: '',
      resource: 'pods',
      subresource: kind,
      namespace,
      name,
    });
    const target = await streamTarget(pods, namespace, name, url.searchParams);
    if (!isWebSocketUpgrade(req)) {
      throw this.failures.take(attemptKey(req)) ?? StatusError.badRequest(SPDY_REFUSED);
    }
    checkWebSocketHandshake(req);

    const clientGone = new AbortController();
    const abort = () => clientGone.abort();
    socket.once('close', abort);
    let upstream: WebSocket;
    try {
      upstream = await this.options.kubelet.openStream(
        target,
        kind,
        kubeletStreamQuery(url.searchParams, kind),
        offeredProtocols(req),
        clientGone.signal,
      );
    } finally {
      socket.off('close', abort);
    }
    if (socket.destroyed) {
      upstream.terminate();
      return;
    }
    this.join(req, socket, head, upstream, `${namespace}/${name}/${target.container}`);
  }

  private join(req: IncomingMessage, socket: Duplex, head: Buffer, upstream: WebSocket, what: string): void {
    const { logger } = this.options;
    let joined = false;
    // Should ws refuse the handshake after all, the kubelet's side must not be left open.
    socket.once('close', () => {
      if (!joined) upstream.terminate();
    });
    this.chosenProtocol.set(req, upstream.protocol);
    this.server.handleUpgrade(req, socket, head, (client) => {
      joined = true;
      this.sessions.add(client).add(upstream);
      logger.debug({ container: what, protocol: upstream.protocol }, 'exec/attach stream opened');
      bridgeWebSockets(client, upstream, {
        onError: (side, err) => logger.debug({ err, side, container: what }, 'exec/attach stream failed'),
      }).then(() => {
        this.sessions.delete(client);
        this.sessions.delete(upstream);
        logger.debug({ container: what }, 'exec/attach stream closed');
      });
    });
  }
}
