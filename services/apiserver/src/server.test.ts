import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServerConfig, DEFAULT_CONFIG } from './config/config.js';
import { type RunningApiServer, startApiServer } from './server.js';

let dir: string;
let server: RunningApiServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tkube-server-'));
  await writeFile(join(dir, 'tokens.csv'), 'secret-token,admin,admin,"system:masters"\n');
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function config(): ApiServerConfig {
  return {
    ...DEFAULT_CONFIG,
    storage: 'memory',
    securePort: 0,
    grpcAddress: '127.0.0.1:0',
    certDir: join(dir, 'pki'),
    tokenFile: join(dir, 'tokens.csv'),
    logLevel: 'silent',
  };
}

function get(url: string, ca: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString('utf8');
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startApiServer', () => {
  it('serves HTTPS with its own CA, ready, with the system namespaces, to holders of a token', async () => {
    server = await startApiServer(config());
    expect(server.restUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(server.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const ca = await readFile(server.caCertPath, 'utf8');

    expect(await get(`${server.restUrl}/readyz`, ca)).toEqual({ status: 200, body: 'ok' });
    expect((await get(`${server.restUrl}/api/v1/namespaces`, ca)).status).toBe(401);
    expect((await get(`${server.restUrl}/api/v1/namespaces`, ca, 'wrong')).status).toBe(401);
    const list = await get(`${server.restUrl}/api/v1/namespaces`, ca, 'secret-token');
    const names = (JSON.parse(list.body) as { items: Array<{ metadata: { name: string } }> }).items.map(
      (n) => n.metadata.name,
    );
    expect(names.sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('makes the kubernetes Service from the configured range, its endpoints at the advertise address and bound port', async () => {
    const serviceClusterIPRange = { network: (10 * 2 ** 24 + 97 * 2 ** 16 + 16 * 2 ** 8) >>> 0, prefixLength: 20 };
    server = await startApiServer({ ...config(), serviceClusterIPRange, advertiseAddress: '192.0.2.10' });
    const ca = await readFile(server.caCertPath, 'utf8');
    const port = Number(new URL(server.restUrl).port);
    const service = JSON.parse(
      (await get(`${server.restUrl}/api/v1/namespaces/default/services/kubernetes`, ca, 'secret-token')).body,
    ) as { spec: Record<string, unknown> };
    expect(service.spec).toMatchObject({
      clusterIP: '10.97.16.1',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
    });
    const endpoints = JSON.parse(
      (await get(`${server.restUrl}/api/v1/namespaces/default/endpoints/kubernetes`, ca, 'secret-token')).body,
    ) as { subsets: unknown };
    expect(endpoints.subsets).toEqual([
      { addresses: [{ ip: '192.0.2.10' }], ports: [{ name: 'https', port, protocol: 'TCP' }] },
    ]);
    // The serving certificate answers to the Service's address.
    const cert = new X509Certificate(await readFile(join(dir, 'pki', 'apiserver.crt'), 'utf8'));
    expect(cert.checkIP('10.97.16.1')).toBe('10.97.16.1');
    expect(cert.checkIP('192.0.2.10')).toBe('192.0.2.10');
  });

  it('stops listening when stopped, and stopping twice is harmless', async () => {
    const running = await startApiServer(config());
    const ca = await readFile(running.caCertPath, 'utf8');
    await running.stop();
    await running.stop();
    await expect(get(`${running.restUrl}/readyz`, ca)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails to start with a message naming what it was doing', async () => {
    const first = await startApiServer(config());
    server = first;
    const port = Number(new URL(first.restUrl).port);
    await expect(startApiServer({ ...config(), securePort: port })).rejects.toThrow(
      new RegExp(`failed to serve HTTPS on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
    );
  });

  it('names the NATS servers it could not reach', async () => {
    await expect(
      startApiServer(
        { ...config(), storage: 'nats', natsServers: ['nats://127.0.0.1:1'] },
        { storageOpenTimeoutMs: 300 },
      ),
    ).rejects.toThrow(/failed to open the NATS storage at nats:\/\/127\.0\.0\.1:1 after \d+ attempts/);
  });
});
