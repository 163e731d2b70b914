import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusError } from '@tkube/api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type RunningKubeletServer, type StreamOptions, startKubeletServer } from './kubelet-server.js';
import { ensureServingCert } from './serving-cert.js';

let dir: string;
let server: RunningKubeletServer;
let runtimeStreams: WebSocketServer;
let followRunning = true;
let ready = false;
const execs: string[][] = [];
const execStreams: StreamOptions[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelet-server-'));
  await writeFile(
    join(dir, '0.log'),
    '2025-01-01T00:00:01.000000000Z stdout F hello\n2025-01-01T00:00:02.000000000Z stderr F world\n',
  );
  // The runtime's streaming server: echoes every frame back, on the subprotocol it picked.
  runtimeStreams = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has('v5.channel.k8s.io') ? 'v5.channel.k8s.io' : false),
  });
  runtimeStreams.on('connection', (socket) => socket.on('message', (data) => socket.send(data)));
  await new Promise((resolve) => runtimeStreams.once('listening', resolve));
  const runtimePort = (runtimeStreams.address() as AddressInfo).port;
  const tls = await ensureServingCert(join(dir, 'pki'), 'node-1', ['127.0.0.1']);
  server = await startKubeletServer({
    host: '127.0.0.1',
    port: 0,
    tls,
    token: 's3cret',
    logger: pino({ level: 'silent' }),
    ready: () => ready,
    metrics: () => 'kubelet_node_name{node="node-1"} 1\n',
    locator: {
      locate: async (namespace, pod, container) => {
        if (pod !== 'web') throw StatusError.notFound({ group: '', resource: 'pods', name: pod });
        return {
          containerId: `${namespace}-${pod}-${container}`,
          logPath: join(dir, container === 'follow' ? 'follow.log' : '0.log'),
          follow: { running: async () => container === 'follow' && followRunning, nextLogPath: async () => undefined },
        };
      },
      exec: async (_id, command, streams) => {
        execs.push(command);
        execStreams.push(streams);
        return `http://127.0.0.1:${runtimePort}/exec/token`;
      },
      attach: async () => `http://127.0.0.1:${runtimePort}/attach/token`,
    },
  });
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => runtimeStreams.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

function get(path: string, token = 's3cret'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { rejectUnauthorized: false, headers: { Authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('kubelet server', () => {
  it('asks for the bearer token', async () => {
    expect((await get('/healthz', 'wrong')).status).toBe(401);
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/metrics', 'wrong')).status).toBe(401);
  });

  it('answers /readyz once the kubelet is ready, and /metrics with its own and the process figures', async () => {
    expect(await get('/livez')).toEqual({ status: 200, body: 'ok' });
    expect((await get('/readyz')).status).toBe(503);
    ready = true;
    expect(await get('/readyz')).toEqual({ status: 200, body: 'ok' });
    const metrics = (await get('/metrics')).body;
    expect(metrics).toMatch(/^kubelet_node_name\{node="node-1"\} 1$/m);
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('serves container logs with tailLines and timestamps, and 404 for unknown pods', async () => {
    expect(await get('/containerLogs/default/web/c')).toEqual({ status: 200, body: 'hello\nworld\n' });
    expect((await get('/containerLogs/default/web/c?tailLines=1&timestamps=true')).body).toBe(
      '2025-01-01T00:00:02.000000000Z world\n',
    );
    const missing = await get('/containerLogs/default/nope/c');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    expect((await get('/containerLogs/default/web/c?tailLines=x')).status).toBe(400);
  });

  it('follows a log until the container stops', async () => {
    await writeFile(join(dir, 'follow.log'), '2025-01-01T00:00:01.000000000Z stdout F first\n');
    const chunks: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      const req = request(
        `${server.url}/containerLogs/default/web/follow?follow=true`,
        { rejectUnauthorized: false, headers: { Authorization: 'Bearer s3cret' } },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (c: string) => chunks.push(c));
          res.on('end', () => resolve());
        },
      );
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(chunks.join('')).toBe('first\n');
    await appendFile(join(dir, 'follow.log'), '2025-01-01T00:00:02.000000000Z stdout F second\n');
    await new Promise((r) => setTimeout(r, 400));
    expect(chunks.join('')).toBe('first\nsecond\n');
    followRunning = false;
    await done;
  });

  it('proxies exec over WebSocket to the runtime with the negotiated channel protocol', async () => {
    const url = `${server.url.replace('https', 'wss')}/exec/default/web/c?command=sh&command=-c&command=echo%20hi&stdin=1&stdout=1&stderr=1`;
    const client = new WebSocket(url, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
      rejectUnauthorized: false,
      headers: { Authorization: 'Bearer s3cret' },
    });
    await new Promise((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    expect(client.protocol).toBe('v5.channel.k8s.io');
    const echoed = new Promise<Buffer>((resolve) => client.once('message', (data) => resolve(data as Buffer)));
    client.send(Buffer.from([0, 104, 105]));
    expect([...(await echoed)]).toEqual([0, 104, 105]);
    client.close();
    expect(execs).toEqual([['sh', '-c', 'echo hi']]);
  });

  it('asks the runtime for no stderr with a terminal, as kubectl exec -it asks for both', async () => {
    const url = `${server.url.replace('https', 'wss')}/exec/default/web/c?command=sh&stdin=1&stdout=1&stderr=1&tty=1`;
    const client = new WebSocket(url, ['v5.channel.k8s.io'], {
      rejectUnauthorized: false,
      headers: { Authorization: 'Bearer s3cret' },
    });
    await new Promise((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    client.close();
    expect(execStreams.at(-1)).toEqual({ stdin: true, stdout: true, stderr: false, tty: true });
  });

  it('refuses an exec without a token', async () => {
    const client = new WebSocket(
      `${server.url.replace('https', 'wss')}/exec/default/web/c?command=sh&stdout=1`,
      ['v5.channel.k8s.io'],
      {
        rejectUnauthorized: false,
      },
    );
    const status = await new Promise<number>((resolve) =>
      client.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
  });
});
