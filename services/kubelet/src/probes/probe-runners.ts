/**
 * The three ways to check a container (kube's pkg/probe): exec (a command in the
 * container through CRI ExecSync: exit 0 is success), httpGet (a status from 200 to 399
 * within the timeout; redirects are not followed) and tcpSocket (a connection opens).
 * Lifecycle hooks use the same handlers. Each answers a result with kube's output text.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container, Probe } from '@tkube/api';
import type { RuntimeService } from '../runtime/runtime-services.js';

export type ProbeOutcome = 'success' | 'failure' | 'unknown';

export interface ProbeResult {
  outcome: ProbeOutcome;
  /** What failed, in kube's words ("HTTP probe failed with statuscode: 500"). */
  output: string;
}

export type Handler = Pick<Probe, 'exec' | 'httpGet' | 'tcpSocket'>;

export interface HandlerTarget {
  runtime: Pick<RuntimeService, 'execSync'>;
  containerId: string;
  container: Container;
  /** Where httpGet and tcpSocket go when they name no host: the pod IP. */
  podIp: string;
  timeoutMs: number;
}

export async function runHandler(handler: Handler, target: HandlerTarget): Promise<ProbeResult> {
  if (handler.exec) return runExec(handler.exec.command ?? [], target);
  if (handler.httpGet) {
    const get = handler.httpGet;
    const port = resolvePort(get.port, target.container);
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.35', Accept: '*/*' };
    for (const header of get.httpHeaders ?? []) headers[header.name] = header.value;
    return runHttpGet({
      scheme: (get.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http',
      host: get.host || target.podIp,
      port,
      path: get.path ?? '/',
      headers,
      timeoutMs: target.timeoutMs,
    });
  }
  if (handler.tcpSocket) {
    return runTcp(
      handler.tcpSocket.host || target.podIp,
      resolvePort(handler.tcpSocket.port, target.container),
      target.timeoutMs,
    );
  }
  return { outcome: 'unknown', output: 'missing probe handler' };
}

export async function runExec(command: string[], target: HandlerTarget): Promise<ProbeResult> {
  try {
    const response = await target.runtime.execSync(
      { containerId: target.containerId, cmd: command, timeout: Math.max(1, Math.ceil(target.timeoutMs / 1000)) },
      { timeoutMs: target.timeoutMs + 2_000 },
    );
    const output = Buffer.concat([response.stdout, response.stderr]).toString('utf8');
    if (response.exitCode === 0) return { outcome: 'success', output };
    return {
      outcome: 'failure',
      output: output || `command ${JSON.stringify(command)} exited with ${response.exitCode}`,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/deadline|timed? ?out/i.test(message)) {
      return { outcome: 'failure', output: `command timed out after ${target.timeoutMs / 1000}s` };
    }
    return { outcome: 'unknown', output: message };
  }
}

export interface HttpGetTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export function runHttpGet(target: HttpGetTarget): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const send = target.scheme === 'https' ? httpsRequest : httpRequest;
    const req = send(
      {
        host: target.host,
        port: target.port,
        path: target.path.startsWith('/') ? target.path : `/${target.path}`,
        method: 'GET',
        headers: target.headers,
        timeout: target.timeoutMs,
        // kube does not verify probe certificates.
        rejectUnauthorized: false,
      },
      (res) => {
        const code = res.statusCode ?? 0;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 10 * 1024) body += chunk;
        });
        res.on('end', () => {
          if (code >= 200 && code < 400) resolve({ outcome: 'success', output: body });
          else resolve({ outcome: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
        });
        res.on('error', () => resolve({ outcome: 'failure', output: 'HTTP probe failed: the response broke off' }));
      },
    );
    const url = `${target.scheme}://${target.host}:${target.port}${target.path}`;
    req.on('timeout', () => {
      req.destroy();
      resolve({
        outcome: 'failure',
        output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    });
    req.on('error', (err) => resolve({ outcome: 'failure', output: `Get "${url}": ${err.message}` }));
    req.end();
  });
}

export function runTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ outcome: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ outcome: 'success', output: '' });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      resolve({ outcome: 'failure', output: `dial tcp ${host}:${port}: ${err.message}` });
    });
  });
}

/** A port number, or the name of one of the container's ports. */
export function resolvePort(port: number | string | undefined, container: Container): number {
  if (typeof port === 'number') return port;
  if (port === undefined) return 0;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
  return named.containerPort;
}
