/**
 * Raw HTTPS to the apiserver, trusting only the cluster's CA: for requests kubectl would
 * never send (malformed bodies, wrong content types) and for reading watch streams.
 */
import { request } from 'node:https';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawRequest {
  method?: string;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
  /** Default: the cluster's token; null sends no Authorization header. */
  token?: string | null;
  timeoutMs?: number;
}

export interface WatchEventLine {
  type: string;
  object: {
    kind?: string;
    metadata?: { name?: string; uid?: string; resourceVersion?: string; generation?: number };
  } & Record<string, unknown>;
}

export class RawApi {
  constructor(
    readonly baseUrl: string,
    private readonly ca: string,
    private readonly token: string,
  ) {}

  request(path: string, options: RawRequest = {}): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (options.contentType) headers['Content-Type'] = options.contentType;
    // Node sends DELETE bodies without framing unless told their length.
    if (options.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(options.body));
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request(
        new URL(path, this.baseUrl),
        { method: options.method ?? 'GET', ca: this.ca, headers, timeout: options.timeoutMs ?? 15_000 },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${path} timed out`)));
      // A server that refuses a large body answers, then closes while the upload still runs:
      // the answer counts (as in Go's and browsers' clients), not the failed write after it.
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      req.end(options.body);
    });
  }

  async json<T = Record<string, unknown>>(path: string, options: RawRequest = {}): Promise<T> {
    const res = await this.request(path, options);
    if (res.status >= 300) throw new Error(`${options.method ?? 'GET'} ${path}: ${res.status} ${res.body}`);
    return JSON.parse(res.body) as T;
  }

  /**
   * Opens a watch (`?watch=1`) and hands each event to `onEvent`; stop() ends it.
   * `opened` resolves once the server answered 200.
   */
  watch(path: string, onEvent: (event: WatchEventLine) => void): { opened: Promise<void>; stop(): void } {
    let stop = () => {};
    const opened = new Promise<void>((resolve, reject) => {
      const separator = path.includes('?') ? '&' : '?';
      const req = request(
        new URL(`${path}${separator}watch=1`, this.baseUrl),
        { ca: this.ca, headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`watch ${path}: ${res.statusCode}`));
            res.resume();
            return;
          }
          resolve();
          let buffered = '';
          res.on('data', (chunk: Buffer) => {
            buffered += chunk.toString('utf8');
            let newline = buffered.indexOf('\n');
            while (newline !== -1) {
              const line = buffered.slice(0, newline).trim();
              buffered = buffered.slice(newline + 1);
              if (line !== '') onEvent(JSON.parse(line) as WatchEventLine);
              newline = buffered.indexOf('\n');
            }
          });
          res.on('error', () => {});
        },
      );
      req.on('error', (err) => reject(err));
      req.end();
      stop = () => req.destroy();
    });
    return { opened, stop: () => stop() };
  }
}
