import type { EndpointSlice, Endpoints, KubeObject, Service } from '@tkube/api';
import { parseCidr } from '@tkube/process';
import { afterEach, describe, expect, it } from 'vitest';
import { kubernetesServiceIP } from '../registry/strategies/service-ranges.js';
import { type TestCluster, testCluster } from '../registry/test-fixtures.js';
import {
  type KubernetesServiceController,
  reconcileKubernetesService,
  startKubernetesServiceController,
} from './kubernetes-service-controller.js';

const SELF = { ip: '127.0.0.1', port: 6443 };
const controllers: KubernetesServiceController[] = [];

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop()));
});

async function start(cluster: TestCluster, self = SELF, clusterIP = '10.96.0.1', intervalMs = 0) {
  const controller = await startKubernetesServiceController(cluster.registries, { clusterIP, self }, { intervalMs });
  controllers.push(controller);
  return controller;
}

async function getService(cluster: TestCluster): Promise<Service> {
  return (await cluster.registry('services').get('default', 'kubernetes')) as Service;
}

async function getEndpoints(cluster: TestCluster): Promise<Endpoints> {
  return (await cluster.registry('endpoints').get('default', 'kubernetes')) as Endpoints;
}

async function slices(cluster: TestCluster): Promise<EndpointSlice[]> {
  const list = await cluster.registry('endpointslices', 'discovery.k8s.io').list('default', {});
  return list.items as EndpointSlice[];
}

function versionOf(object: KubeObject): string | undefined {
  return object.metadata?.resourceVersion;
}

describe('the kubernetes Service', () => {
  it('is made at start, as kube-apiserver makes it, with endpoints at the advertise address and secure port', async () => {
    const cluster = await testCluster();
    await start(cluster);

    const service = await getService(cluster);
    expect(service.metadata?.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    expect(service.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.96.0.1',
      clusterIPs: ['10.96.0.1'],
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    });
    expect(service.spec?.selector).toBeUndefined();

    const endpoints = await getEndpoints(cluster);
    expect(endpoints.metadata?.labels).toEqual({ 'endpointslice.kubernetes.io/skip-mirror': 'true' });
    expect(endpoints.subsets).toEqual([
      { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
    ]);

    const [slice, ...others] = await slices(cluster);
    expect(others).toEqual([]);
    expect(slice?.metadata?.name).toBe('kubernetes');
    expect(slice?.metadata?.labels).toEqual({ 'kubernetes.io/service-name': 'kubernetes' });
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.endpoints).toEqual([{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
    expect(slice?.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);
  });

  it('takes the first address of a configured service range', async () => {
    const range = parseCidr('10.97.16.0/20');
    if (!range) throw new Error('bad test range');
    const cluster = await testCluster({
      serviceRanges: { clusterIPRange: range, nodePortRange: { min: 30100, max: 30249 } },
    });
    await start(cluster, SELF, kubernetesServiceIP(range));
    expect((await getService(cluster)).spec?.clusterIP).toBe('10.97.16.1');
  });

  it('writes nothing when run again on what it made', async () => {
    const cluster = await testCluster();
    await start(cluster);
    const before = [await getService(cluster), await getEndpoints(cluster), ...(await slices(cluster))].map(versionOf);
    await reconcileKubernetesService(cluster.registries, { clusterIP: '10.96.0.1', self: SELF });
    await reconcileKubernetesService(cluster.registries, { clusterIP: '10.96.0.1', self: SELF });
    const after = [await getService(cluster), await getEndpoints(cluster), ...(await slices(cluster))].map(versionOf);
    expect(after).toEqual(before);
  });

  it('lists two apiservers starting at once, on other ports or addresses, and one stopping leaves the other', async () => {
    const cluster = await testCluster();
    const [a] = await Promise.all([
      start(cluster, { ip: '127.0.0.1', port: 6443 }),
      start(cluster, { ip: '127.0.0.1', port: 7443 }),
      start(cluster, { ip: '192.0.2.7', port: 6443 }),
    ]);
    expect((await cluster.registry('services').list('default', {})).items).toHaveLength(1);
    expect((await getEndpoints(cluster)).subsets).toEqual([
      {
        addresses: [{ ip: '127.0.0.1' }, { ip: '192.0.2.7' }],
        ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
      },
      { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 7443, protocol: 'TCP' }] },
    ]);
    expect((await slices(cluster)).map((s) => [s.metadata?.name, s.endpoints?.length, s.ports?.[0]?.port])).toEqual([
      ['kubernetes', 2, 6443],
      ['kubernetes-7443', 1, 7443],
    ]);

    await a?.stop();
    expect((await getEndpoints(cluster)).subsets).toEqual([
      { addresses: [{ ip: '192.0.2.7' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
      { addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 7443, protocol: 'TCP' }] },
    ]);
    // The Service keeps pointing at a port that some listed apiserver serves on.
    expect((await getService(cluster)).spec?.ports?.[0]?.targetPort).toBe(6443);
  });

  it('points the Service at its own port once no listed apiserver serves on the old one', async () => {
    const cluster = await testCluster();
    const first = await start(cluster, { ip: '127.0.0.1', port: 6443 });
    await first.stop();
    controllers.splice(0);
    expect((await getEndpoints(cluster)).subsets).toEqual([]);
    expect((await slices(cluster)).map((s) => [s.metadata?.name, s.endpoints, s.ports])).toEqual([
      ['kubernetes', [], []],
    ]);

    await start(cluster, { ip: '127.0.0.1', port: 16443 });
    expect((await getService(cluster)).spec?.ports).toEqual([
      { name: 'https', port: 443, protocol: 'TCP', targetPort: 16443 },
    ]);
    expect((await getEndpoints(cluster)).subsets?.[0]?.ports?.[0]?.port).toBe(16443);
  });

  it('makes the Service again when it is deleted, at its next check', async () => {
    const cluster = await testCluster();
    await start(cluster, SELF, '10.96.0.1', 20);
    await cluster.registry('services').delete('default', 'kubernetes', {});
    const deadline = Date.now() + 2000;
    let found: Service | undefined;
    while (!found && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      found = await getService(cluster).catch(() => undefined);
    }
    expect(found?.spec?.clusterIP).toBe('10.96.0.1');
  });

  it('does not stop the apiserver when the address is held by another Service; the endpoints are still written', async () => {
    const cluster = await testCluster();
    await cluster.registry('services').create(
      'default',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'squatter' },
        spec: { clusterIP: '10.96.0.1', ports: [{ port: 80 }] },
      },
      {},
    );
    await start(cluster);
    await expect(getService(cluster)).rejects.toMatchObject({ reason: 'NotFound' });
    expect((await getEndpoints(cluster)).subsets?.[0]?.addresses).toEqual([{ ip: '127.0.0.1' }]);
  });
});
