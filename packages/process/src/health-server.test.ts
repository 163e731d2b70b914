import { request } from 'node:http';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { healthzAddress } from './flags.js';
import { type ServingHealth, serveHealth, startHealthServer } from './health-server.js';

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

function get(port: number, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the health server', () => {
  const servers: ServingHealth[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  async function serve(ready: () => boolean, metrics?: () => string): Promise<ServingHealth> {
    const server = await serveHealth({ address: '127.0.0.1:0', ready, ...(metrics ? { metrics } : {}) });
    servers.push(server);
    return server;
  }

  it('answers /healthz and /livez at once, and /readyz only once the program is ready', async () => {
    let ready = false;
    const { port, address } = await serve(() => ready);
    expect(address).toBe(`127.0.0.1:${port}`);
    expect(await get(port, '/healthz')).toMatchObject({ status: 200, body: 'ok' });
    expect(await get(port, '/livez')).toMatchObject({ status: 200, body: 'ok' });
    const notYet = await get(port, '/readyz');
    expect(notYet.status).toBe(503);
    expect(notYet.body).toContain('readyz check failed');
    ready = true;
    expect(await get(port, '/readyz')).toMatchObject({
      status: 200,
      body: 'ok',
      contentType: 'text/plain; charset=utf-8',
    });
    expect(await get(port, '/readyz/informer-sync?verbose')).toMatchObject({ status: 200, body: 'ok' });
  });

  it("serves the program's metrics and the process's in the Prometheus text format", async () => {
    const { port } = await serve(
      () => true,
      () => '# TYPE scheduler_pods_scheduled_total counter\nscheduler_pods_scheduled_total 7\n',
    );
    const answer = await get(port, '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(answer.body).toMatch(/^scheduler_pods_scheduled_total 7$/m);
    expect(answer.body).toMatch(/^process_resident_memory_bytes \d+$/m);
    expect(answer.body).toMatch(/^process_cpu_seconds_total [\d.e-]+$/m);
    expect(answer.body).toMatch(/^process_start_time_seconds \d+$/m);
    expect(answer.body.endsWith('\n')).toBe(true);
  });

  it('answers 404 elsewhere, 405 to other methods, and an empty body to HEAD', async () => {
    const { port } = await serve(() => true);
    expect(await get(port, '/api/v1/pods')).toMatchObject({ status: 404 });
    expect(await get(port, '/healthz', 'POST')).toMatchObject({ status: 405 });
    expect(await get(port, '/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it('lets a service go on without the endpoints when the address is taken, and says so', async () => {
    const { address } = await serve(() => true);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    expect(await startHealthServer({ address, ready: () => true }, logger)).toBeUndefined();
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 50, address });
    expect(lines[0]).toContain('--healthz-bind-address');
    expect(await startHealthServer({ address: undefined, ready: () => true }, logger)).toBeUndefined();
    expect(lines).toHaveLength(1);

    const started = await startHealthServer({ address: '127.0.0.1:0', ready: () => true }, logger);
    if (started) servers.push(started);
    expect(JSON.parse(lines[1] ?? '{}')).toMatchObject({ msg: 'serving /healthz, /readyz and /metrics' });
  });

  it('reads --healthz-bind-address as host:port, or "" for none', () => {
    expect(healthzAddress('--healthz-bind-address', '127.0.0.1:10256')).toBe('127.0.0.1:10256');
    expect(healthzAddress('--healthz-bind-address', '0.0.0.0:0')).toBe('0.0.0.0:0');
    expect(healthzAddress('--healthz-bind-address', '')).toBeUndefined();
    expect(() => healthzAddress('--healthz-bind-address', '10256')).toThrow(
      '--healthz-bind-address must be host:port or "", not "10256"',
    );
    expect(() => healthzAddress('--healthz-bind-address', '127.0.0.1:70000')).toThrow('port');
  });
});
