/**
 * The apiserver's client of kubelets: container logs over HTTPS and exec/attach over a
 * WebSocket, authenticated by a bearer token. A kubelet's serving certificate is
 * self-signed and is NOT verified, as kube-apiserver does when it is started without
 * --kubelet-certificate-authority: the token still only goes to the address the Node
 * object names, but a machine in the middle could read it.
 */
import type { IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { type Node, StatusError } from '@tkube/api';
import { WebSocket } from 'ws';
import { type KubeletEndpoint, kubeletEndpoint, kubeletUrl } from './kubelet-endpoint.js';
import { kubeletError, kubeletUnreachable, MAX_ERROR_BODY_BYTES } from './kubelet-errors.js';
import type { StreamKind } from './stream-options.js';

export interface KubeletClientOptions {
  /** Finds a Node by name (throws NotFound when there is none): it says where its kubelet listens. */
  getNode: (name: string) => Promise<Node>;
  /** Sent as `Authorization: Bearer <token>`; requests go without credentials when absent. */
  token?: string;
  /** How long a kubelet may take to answer (response headers, WebSocket handshake); 30 s by default. */
  answerTimeoutMs?: number;
}

/** One container on one node. */
export interface ContainerRef {
  nodeName: string;
  namespace: string;
  pod: string;
  container: string;
}

const DEFAULT_ANSWER_TIMEOUT_MS = 30_000;

export class KubeletClient {
  private readonly agent = new Agent({ keepAlive: true, maxFreeSockets: 4, rejectUnauthorized: false });
  private readonly answerTimeoutMs: number;

  constructor(private readonly options: KubeletClientOptions) {
    this.answerTimeoutMs = options.answerTimeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  }

  async endpoint(nodeName: string): Promise<KubeletEndpoint> {
    return kubeletEndpoint(await this.options.getNode(nodeName));
  }

  /**
   * GET /containerLogs/...: resolves with the kubelet's response once it answered 2xx (the
   * body streams on); a refusal rejects with it as a StatusError. Aborting `signal` drops
   * the connection, which is how a follow ends when its reader goes.
   */
  async containerLogs(ref: ContainerRef, query: URLSearchParams, signal?: AbortSignal): Promise<IncomingMessage> {
    const url = kubeletUrl(await this.endpoint(ref.nodeName), 'https', 'containerLogs', ref, query);
    return new Promise((resolve, reject) => {
      const request = httpsRequest(url, {
        agent: this.agent,
        headers: { ...this.authorization(), accept: 'text/plain, */*' },
        ...(signal ? { signal } : {}),
      });
      const timer = setTimeout(
        () => request.destroy(new Error(`the kubelet did not answer within ${this.answerTimeoutMs} ms`)),
        this.answerTimeoutMs,
      );
      request.on('response', (response) => {
        clearTimeout(timer);
        const code = response.statusCode ?? 500;
        if (code >= 200 && code <= 206) {
          resolve(response);
          return;
        }
        readSome(response, MAX_ERROR_BODY_BYTES).then(
          (body) => reject(kubeletError(code, body)),
          (err: unknown) => reject(kubeletUnreachable(err)),
        );
      });
      request.on('error', (err) => {
        clearTimeout(timer);
        reject(kubeletUnreachable(err));
      });
      request.end();
    });
  }

  /**
   * Opens the kubelet's /exec or /attach WebSocket offering `protocols` in order; resolves
   * once the kubelet accepted (its choice is the socket's `protocol`). A refusal rejects
   * with it as a StatusError; aborting `signal` gives up on the handshake.
   */
  async openStream(
    ref: ContainerRef,
    kind: StreamKind,
    query: URLSearchParams,
    protocols: readonly string[],
    signal?: AbortSignal,
  ): Promise<WebSocket> {
    const url = kubeletUrl(await this.endpoint(ref.nodeName), 'wss', kind, ref, query);
    signal?.throwIfAborted();
    let socket: WebSocket;
    try {
      socket = new WebSocket(url, [...protocols], {
        headers: this.authorization(),
        rejectUnauthorized: false,
        handshakeTimeout: this.answerTimeoutMs,
        perMessageDeflate: false,
        followRedirects: false,
      });
    } catch (err) {
      // ws refuses subprotocol lists that are not tokens or hold one twice.
      throw StatusError.badRequest(`unable to upgrade: ${err instanceof Error ? err.message : String(err)}`);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => socket.terminate();
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      socket.once('open', () => {
        settle();
        resolve(socket);
      });
      // With this listener ws leaves the refused handshake to us (no 'error' event follows).
      socket.once('unexpected-response', (request, response) => {
        settle();
        const code = response.statusCode ?? 500;
        readSome(response, MAX_ERROR_BODY_BYTES)
          .then(
            (body) => reject(kubeletError(code, body)),
            (err: unknown) => reject(kubeletUnreachable(err)),
          )
          .finally(() => request.destroy());
      });
      socket.on('error', (err) => {
        settle();
        reject(kubeletUnreachable(err));
      });
    });
  }

  /** Drops idle keep-alive connections to kubelets. */
  close(): void {
    this.agent.destroy();
  }

  private authorization(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }
}

/** Reads a response body up to `limit` bytes (an error body, never a log stream). */
function readSome(response: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size >= limit) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) {
        response.destroy();
        resolve(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
      }
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
