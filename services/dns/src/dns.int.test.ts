/**
 * tkube-dns as a whole: informers on an in-memory apiserver, the record index, and the
 * server on 127.0.0.1, asked over real UDP and TCP sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_SLICES, SERVICES } from './cluster/resources.js';
import type { ServeConfig } from './config/config.js';
import { type RunningDns, startDns } from './start-dns.js';
import { answerData, queryTcp, queryUdp } from './testing/dns-client.js';
import { FakeCluster } from './testing/fake-cluster.js';
import { clusterIPService, endpointSlice, headlessService } from './testing/objects.js';

const HOST = '127.0.0.1';
const config: ServeConfig = {
  kind: 'serve',
  apiserverGrpc: 'in-memory:0',
  tokenFile: undefined,
  clusterDomain: 'cluster.local',
  listenAddress: HOST,
  port: 0,
  interfaceName: undefined,
  serviceNamespace: 'kube-system',
  healthzBindAddress: '127.0.0.1:0',
  logLevel: 'silent',
};

let cluster: FakeCluster;
let dns: RunningDns;
const inDefault = (target: typeof SERVICES) => ({ ...target, namespace: 'default' });

beforeAll(async () => {
  cluster = new FakeCluster();
  await cluster.create(
    inDefault(SERVICES),
    clusterIPService('default', 'web', '10.96.4.2', [{ name: 'http', port: 80, targetPort: 8080 }]),
  );
  await cluster.create(inDefault(SERVICES), headlessService('default', 'db', [{ name: 'pg', port: 5432 }]));
  await cluster.create(
    inDefault(ENDPOINT_SLICES),
    endpointSlice(
      'default',
      'db',
      'db-x1',
      [
        { ip: '10.244.0.5', hostname: 'db-0', pod: 'db-0' },
        { ip: '10.244.0.6', hostname: 'db-1', pod: 'db-1' },
      ],
      [{ name: 'pg', port: 5432 }],
    ),
  );
  dns = await startDns(config, { client: cluster, syncTimeoutMs: 5000 });
});

afterAll(async () => {
  await dns?.stop();
});

describe.each(['udp', 'tcp'] as const)('over %s', (transport) => {
  const query = transport === 'udp' ? queryUdp : queryTcp;
  const ask = (name: string, type: Parameters<typeof queryUdp>[3]) => query(HOST, dns.port, name, type);

  it('answers A for a service with its ClusterIP', async () => {
    const reply = await ask('web.default.svc.cluster.local', 'A');
    expect(reply.rcode).toBe(0);
    expect(reply.flag_aa).toBe(true);
    expect(reply.answers).toMatchObject([{ type: 'A', ttl: 5, data: '10.96.4.2' }]);
  });

  it('answers A for a headless service with both endpoints, and each endpoint by hostname', async () => {
    expect(answerData(await ask('db.default.svc.cluster.local', 'A')).sort()).toEqual(['10.244.0.5', '10.244.0.6']);
    expect(answerData(await ask('DB-1.db.default.svc.cluster.local.', 'A'))).toEqual(['10.244.0.6']);
  });

  it('answers SRV for a named port', async () => {
    expect(answerData(await ask('_http._tcp.web.default.svc.cluster.local', 'SRV'))).toEqual([
      { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
    ]);
    const headless = await ask('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(
      answerData(headless)
        .map((srv) => (srv as { target: string }).target)
        .sort(),
    ).toEqual(['db-0.db.default.svc.cluster.local', 'db-1.db.default.svc.cluster.local']);
  });

  it('answers NXDOMAIN with the SOA for a name of the zone that does not exist', async () => {
    const reply = await ask('nope.default.svc.cluster.local', 'A');
    expect(reply.rcode).toBe(3);
    expect(reply.authorities?.map((a) => a.type)).toEqual(['SOA']);
  });

  it('answers AAAA for an IPv4 service with NOERROR and no answers', async () => {
    const reply = await ask('web.default.svc.cluster.local', 'AAAA');
    expect(reply.rcode).toBe(0);
    expect(reply.answers).toEqual([]);
  });

  it('refuses names outside the cluster domain', async () => {
    expect((await ask('example.com', 'A')).rcode).toBe(5);
  });
});

describe('following the cluster', () => {
  it('registers the kube-dns Service at its own address, which it then answers', async () => {
    const name = 'kube-dns.kube-system.svc.cluster.local';
    await until(async () => (await queryUdp(HOST, dns.port, name, 'A')).rcode === 0);
    expect(answerData(await queryUdp(HOST, dns.port, name, 'A'))).toEqual([HOST]);
  });

  it('answers a service created after start, and forgets it once deleted', async () => {
    await cluster.create(inDefault(SERVICES), clusterIPService('default', 'late', '10.96.7.7'));
    await until(async () => (await queryUdp(HOST, dns.port, 'late.default.svc.cluster.local', 'A')).rcode === 0);
    expect(answerData(await queryUdp(HOST, dns.port, 'late.default.svc.cluster.local', 'A'))).toEqual(['10.96.7.7']);
    await cluster.delete(inDefault(SERVICES), 'late');
    await until(async () => (await queryUdp(HOST, dns.port, 'late.default.svc.cluster.local', 'A')).rcode === 3);
  });

  it('puts the kube-dns Service back when it is deleted', async () => {
    const kubeSystem = { ...SERVICES, namespace: 'kube-system' };
    await cluster.delete(kubeSystem, 'kube-dns');
    await until(async () => {
      try {
        await cluster.get(kubeSystem, 'kube-dns');
        return true;
      } catch {
        return false;
      }
    });
  });
});

describe('health and metrics', () => {
  const get = async (path: string) => {
    const response = await fetch(`http://${dns.healthzAddress}${path}`);
    return { status: response.status, body: await response.text() };
  };
  const responses = async (rcode: string) =>
    Number(
      new RegExp(`^coredns_dns_responses_total\\{rcode="${rcode}"\\} (\\d+)$`, 'm').exec(
        (await get('/metrics')).body,
      )?.[1] ?? 0,
    );

  it('is ready while it answers, and counts its answers by rcode', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: 'ok' });
    expect(await get('/readyz')).toEqual({ status: 200, body: 'ok' });
    const [found, missing] = [await responses('NOERROR'), await responses('NXDOMAIN')];
    await queryUdp(HOST, dns.port, 'web.default.svc.cluster.local', 'A');
    await queryUdp(HOST, dns.port, 'absent.default.svc.cluster.local', 'A');
    expect(await responses('NOERROR')).toBe(found + 1);
    expect(await responses('NXDOMAIN')).toBe(missing + 1);
  });
});

/** Polls `condition` every 20 ms for up to 3 s. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition not met within 3 s');
}
