/**
 * One GET on a connection of its own (no agent, `Connection: close`), timed from the call
 * to the last byte of the answer: a TCP handshake, the request, the answer and the close,
 * which is what a client that does not keep connections alive pays per request (and
 * busybox httpd closes each connection anyway). Never throws: a failure is a result.
 */
import { request } from 'node:http';

export interface Target {
  host: string;
  port: number;
}

export type GetResult = { ok: true; ms: number; body: string } | { ok: false; ms: number; error: string };

const TIMEOUT_MS = 5_000;

export function timedGet(target: Target): Promise<GetResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const fail = (error: string) => resolve({ ok: false, ms: performance.now() - started, error });
    const req = request(
      { host: target.host, port: target.port, path: '/', agent: false, headers: { Connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          // A hostname: the answer is tiny, a longer one is cut to keep memory flat.
          if (body.length < 256) body += chunk;
        });
        res.on('error', (err) => fail(err.message));
        res.on('end', () => {
          const ms = performance.now() - started;
          if (res.statusCode === 200) resolve({ ok: true, ms, body: body.trim() });
          else resolve({ ok: false, ms, error: `HTTP ${res.statusCode}` });
        });
      },
    );
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => fail(err.message));
    req.end();
  });
}
