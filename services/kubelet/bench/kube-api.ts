/**
 * The benchmark's client of the apiserver: JSON requests over HTTPS on one keep-alive agent
 * trusting only the cluster's CA, and a pod watch on one namespace that resumes from the
 * last resourceVersion it saw if the server ends the stream.
 */
import https from 'node:https';
import type { Pod } from '@tkube/api';
import { onJsonLines } from '../../../bench-kit/json-lines.ts';

export interface ApiResponse {
  status: number;
  body: string;
}

export interface PodWatchEvent {
  type: string;
  pod: Pod;
  /** Epoch milliseconds (sub-millisecond) at which the event's line was read. */
  at: number;
}

/** Epoch milliseconds with sub-millisecond precision, comparable with Docker's timeNano. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export class KubeApi {
  private readonly agent: https.Agent;
  private readonly base: string;
  private readonly token: string;
  private readonly ca: string;

  constructor(base: string, ca: string, token: string) {
    this.base = base;
    this.ca = ca;
    this.token = token;
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca });
  }

  request(method: string, path: string, body?: unknown, timeoutMs = 15_000): Promise<ApiResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        `${this.base}${path}`,
        {
          method,
          agent: this.agent,
          timeout: timeoutMs,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends the request; throws unless the status is one of `expected`. */
  async expect(method: string, path: string, expected: number[], body?: unknown): Promise<ApiResponse> {
    const res = await this.request(method, path, body);
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${res.body.slice(0, 500)}`);
    return res;
  }

  /**
   * Watches the pods of `namespace` from `resourceVersion`, handing each event to onEvent.
   * A stream the server closes is reopened from the last version seen, until stop().
   */
  watchPods(namespace: string, resourceVersion: string, onEvent: (event: PodWatchEvent) => void): { stop(): void } {
    let stopped = false;
    let current: ReturnType<typeof https.request> | undefined;
    let lastVersion = resourceVersion;
    const open = () => {
      if (stopped) return;
      const path = `/api/v1/namespaces/${namespace}/pods?watch=1&allowWatchBookmarks=false&resourceVersion=${lastVersion}`;
      const req = https.request(`${this.base}${path}`, {
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' },
        // Its own connection: a watch holds its socket for as long as it runs.
        agent: new https.Agent({ ca: this.ca }),
      });
      current = req;
      let reopened = false;
      const reopen = (delayMs: number) => {
        if (reopened || stopped) return;
        reopened = true;
        setTimeout(open, delayMs);
      };
      req.on('response', (res) => {
        onJsonLines(res, (value) => {
          const at = epochMs();
          const event = value as { type: string; object: Pod };
          // Most likely "too old resource version": nothing to resume from; the caller's
          // deadlines report whatever goes missing.
          if (event.type === 'ERROR') return;
          lastVersion = event.object.metadata?.resourceVersion ?? lastVersion;
          onEvent({ type: event.type, pod: event.object, at });
        });
        res.on('end', () => reopen(100));
        res.on('error', () => reopen(200));
      });
      req.on('error', () => reopen(200));
      req.end();
    };
    open();
    return {
      stop: () => {
        stopped = true;
        current?.destroy();
      },
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
