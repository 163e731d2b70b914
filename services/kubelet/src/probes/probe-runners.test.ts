import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePort, runHandler, runHttpGet, runTcp } from './probe-runners.js';

let http: Server;
let httpPort: number;
beforeAll(async () => {
  http = createServer((req, res) => {
    if (req.url === '/ok') res.end('fine');
    else if (req.url === '/redirect') res.writeHead(302, { Location: '/elsewhere' }).end();
    else if (req.url === '/slow') setTimeout(() => res.end('late'), 500);
    else if (req.url === '/agent') res.end(req.headers['user-agent'] ?? '');
    else res.writeHead(500).end('broken');
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  httpPort = (http.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

const get = (path: string, timeoutMs = 1000) =>
  runHttpGet({ scheme: 'http', host: '127.0.0.1', port: httpPort, path, headers: {}, timeoutMs });

describe('httpGet', () => {
  it('succeeds on 2xx and 3xx, fails on other codes with kube output', async () => {
    expect((await get('/ok')).outcome).toBe('success');
    expect((await get('/redirect')).outcome).toBe('success');
    expect(await get('/fail')).toEqual({ outcome: 'failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  it('fails on a timeout and on a refused connection', async () => {
    const slow = await get('/slow', 100);
    expect(slow.outcome).toBe('failure');
    expect(slow.output).toContain('context deadline exceeded');
    const refused = await runHttpGet({
      scheme: 'http',
      host: '127.0.0.1',
      port: 1,
      path: '/',
      headers: {},
      timeoutMs: 500,
    });
    expect(refused.outcome).toBe('failure');
  });

  it('sends kube-probe as the user agent and resolves named ports', async () => {
    const result = await runHandler(
      { httpGet: { port: 'web', path: '/agent' } },
      {
        runtime: { execSync: async () => ({ stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 }) },
        containerId: 'c',
        container: { name: 'c', ports: [{ name: 'web', containerPort: httpPort }] },
        podIp: '127.0.0.1',
        timeoutMs: 1000,
      },
    );
    expect(result).toEqual({ outcome: 'success', output: 'kube-probe/1.35' });
  });
});

describe('tcpSocket', () => {
  it('succeeds when a connection opens and fails when refused', async () => {
    const server = createTcpServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    expect((await runTcp('127.0.0.1', port, 1000)).outcome).toBe('success');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect((await runTcp('127.0.0.1', port, 1000)).outcome).toBe('failure');
  });
});

describe('exec', () => {
  it('is success on exit 0 and failure with the output otherwise', async () => {
    const target = (exitCode: number) => ({
      runtime: {
        execSync: async () => ({ stdout: Buffer.from('out'), stderr: Buffer.from(''), exitCode }),
      },
      containerId: 'c',
      container: { name: 'c' },
      podIp: '',
      timeoutMs: 1000,
    });
    expect(await runHandler({ exec: { command: ['true'] } }, target(0))).toEqual({ outcome: 'success', output: 'out' });
    expect(await runHandler({ exec: { command: ['false'] } }, target(1))).toEqual({
      outcome: 'failure',
      output: 'out',
    });
  });
});

describe('resolvePort', () => {
  it('takes numbers, numeric strings and port names', () => {
    const container = { name: 'c', ports: [{ name: 'http', containerPort: 8080 }] };
    expect(resolvePort(80, container)).toBe(80);
    expect(resolvePort('81', container)).toBe(81);
    expect(resolvePort('http', container)).toBe(8080);
    expect(() => resolvePort('nope', container)).toThrow(/couldn't find port/);
  });
});
