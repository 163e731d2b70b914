import type { EndpointSlice, Endpoints, Service } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { FakeCluster } from '../testing/fake-cluster.js';
import { ensureKubeDns } from './ensure-kube-dns.js';
import { ENDPOINT_SLICES, ENDPOINTS, SERVICES } from './resources.js';

const TARGET = { namespace: 'kube-system', address: '10.96.0.10', port: 53 };

describe('ensureKubeDns', () => {
  it('creates the kube-dns Service at the address, without selector, and its endpoints pointing back at it', async () => {
    const cluster = new FakeCluster();
    expect(await ensureKubeDns(cluster, TARGET)).toEqual({
      changes: ['created service', 'created endpointslice', 'created endpoints'],
    });
    const [service] = cluster.stored<Service>(SERVICES);
    expect(service?.metadata).toMatchObject({
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS' },
    });
    expect(service?.spec).toEqual({
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      ],
    });
    const [slice] = cluster.stored<EndpointSlice>(ENDPOINT_SLICES);
    expect(slice).toMatchObject({
      metadata: {
        labels: { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': 'tkube-dns' },
        ownerReferences: [{ kind: 'Service', name: 'kube-dns', uid: service?.metadata?.uid, controller: true }],
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.96.0.10'], conditions: { ready: true } }],
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    });
    const [endpoints] = cluster.stored<Endpoints>(ENDPOINTS);
    expect(endpoints?.subsets).toEqual([
      {
        addresses: [{ ip: '10.96.0.10' }],
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP' },
          { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('writes nothing the second time', async () => {
    const cluster = new FakeCluster();
    await ensureKubeDns(cluster, TARGET);
    const writes = cluster.writes.length;
    expect(await ensureKubeDns(cluster, TARGET)).toEqual({ changes: [] });
    expect(cluster.writes).toHaveLength(writes);
  });

  it('puts back endpoints someone changed, and recreates what was deleted', async () => {
    const cluster = new FakeCluster();
    await ensureKubeDns(cluster, TARGET);
    const slice = await cluster.get<EndpointSlice>({ ...ENDPOINT_SLICES, namespace: 'kube-system' }, 'kube-dns');
    await cluster.update({ ...ENDPOINT_SLICES, namespace: 'kube-system' }, { ...slice, endpoints: [] });
    await cluster.delete({ ...ENDPOINTS, namespace: 'kube-system' }, 'kube-dns');
    expect((await ensureKubeDns(cluster, TARGET)).changes).toEqual(['updated endpointslice', 'created endpoints']);
    expect(cluster.stored<EndpointSlice>(ENDPOINT_SLICES)[0]?.endpoints).toHaveLength(1);
  });

  it('reports a kube-dns Service found at another ClusterIP and leaves it', async () => {
    const cluster = new FakeCluster();
    await ensureKubeDns(cluster, { ...TARGET, address: '10.96.0.53' });
    const result = await ensureKubeDns(cluster, TARGET);
    expect(result.conflictingClusterIP).toBe('10.96.0.53');
    expect(cluster.stored<Service>(SERVICES)[0]?.spec?.clusterIP).toBe('10.96.0.53');
  });
});
