/** One-shot readiness checks; the caller repeats them until they pass or time runs out. */
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect } from 'node:net';

export const PROBE_TIMEOUT_MS = 2_000;

/** NATS greets every client with `INFO {...}`; JetStream must be on in it. */
export function probeNats(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const end = received.indexOf('\r\n');
      if (end === -1) return;
      const line = received.slice(0, end);
      if (!line.startsWith('INFO ')) return done(false);
      try {
        const info: unknown = JSON.parse(line.slice(5));
        done(typeof info === 'object' && info !== null && 'jetstream' in info && info.jetstream === true);
      } catch {
        done(false);
      }
    });
  });
}

/** GET <url>/readyz trusting only the cluster's CA; true on 200 "ok". */
export async function probeReadyz(baseUrl: string, caCertPath: string): Promise<boolean> {
  let ca: string;
  try {
    ca = await readFile(caCertPath, 'utf8');
  } catch {
    return false; // the apiserver has not made its CA yet
  }
  return new Promise((resolve) => {
    const req = request(new URL('/readyz', baseUrl), { ca, timeout: PROBE_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** A plugin serves once its unix socket accepts a connection (a leftover socket file refuses). */
export function probeUnixSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * GET https://<host>:<port>/healthz of a kubelet; true on 200 "ok". The kubelet's serving
 * certificate is self-signed, so it is not verified: only loopback is asked, with the token.
 */
export function probeKubeletHealthz(port: number, token: string, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      {
        host,
        port,
        path: '/healthz',
        rejectUnauthorized: false,
        timeout: PROBE_TIMEOUT_MS,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'ok'));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
