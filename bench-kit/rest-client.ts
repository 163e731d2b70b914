/**
 * JSON over HTTPS to the apiserver, trusting only the cluster's CA, with the admin's
 * bearer token: requests with a timeout, and watch streams read line by line.
 */
import { Agent, request } from 'node:https';
import { onJsonLines } from './json-lines.ts';

export interface RestClient {
  /** Sends a request; resolves with the parsed body of a 2xx answer, else rejects with the Status text. */
  send(method: string, path: string, body?: unknown): Promise<unknown>;
  /**
   * Opens `path?watch=1` and hands each event to onEvent. `opened` resolves once the server
   * answered 200; `ended` resolves when the stream ends for any reason (stop(), the server's
   * timeout, a broken connection).
   */
  watch(path: string, onEvent: (event: WatchEvent) => void): WatchStream;
  close(): void;
}

export interface WatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export interface WatchStream {
  opened: Promise<void>;
  ended: Promise<void>;
  stop(): void;
}

const REQUEST_TIMEOUT_MS = 30_000;

export function restClient(baseUrl: string, caCert: string, token: string): RestClient {
  // Keep-alive, so bounded concurrency reuses a few connections instead of a TLS handshake per create.
  const agent = new Agent({ ca: caCert, keepAlive: true, maxSockets: 32 });
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };

  const send = (method: string, path: string, body?: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, baseUrl),
        {
          method,
          agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: payload === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(new Error(`${method} ${path}: ${status} ${text.slice(0, 500)}`));
              return;
            }
            try {
              resolve(text === '' ? undefined : JSON.parse(text));
            } catch (err) {
              reject(err);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });

  const watch = (path: string, onEvent: (event: WatchEvent) => void): WatchStream => {
    let stop = () => {};
    let markEnded = () => {};
    const ended = new Promise<void>((resolve) => {
      markEnded = resolve;
    });
    const opened = new Promise<void>((resolve, reject) => {
      const separator = path.includes('?') ? '&' : '?';
      // Its own connection (no agent pool): a watch holds its socket for as long as it lasts.
      const req = request(new URL(`${path}${separator}watch=1`, baseUrl), { ca: caCert, headers }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`watch ${path}: ${res.statusCode}`));
          res.resume();
          markEnded();
          return;
        }
        resolve();
        onJsonLines(res, (value) => onEvent(value as WatchEvent));
        res.on('error', () => markEnded());
        res.on('close', () => markEnded());
      });
      req.on('error', (err) => {
        reject(err);
        markEnded();
      });
      req.end();
      stop = () => req.destroy();
    });
    return { opened, ended, stop: () => stop() };
  };

  return { send, watch, close: () => agent.destroy() };
}
