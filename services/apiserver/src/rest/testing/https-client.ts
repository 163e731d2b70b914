/** Raw HTTPS requests for tests that send what no well-behaved client would. */
import { request as httpsRequest } from 'node:https';

/** Test responses are probed field by field; typing each would only restate the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type LooseJson = any;

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): LooseJson;
}

export interface RawRequest {
  method?: string;
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Bearer token; null sends none. */
  token?: string | null;
}

export function rawRequest(baseUrl: string, ca: string, token: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(req.path, baseUrl);
  const headers: Record<string, string> = { ...req.headers };
  const bearer = req.token === undefined ? token : req.token;
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  if (req.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] ??= String(Buffer.byteLength(req.body));
  }
  return new Promise((resolve, reject) => {
    const request = httpsRequest(url, { method: req.method ?? 'GET', headers, ca, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    if (req.body !== undefined) request.write(req.body);
    request.end();
  });
}
