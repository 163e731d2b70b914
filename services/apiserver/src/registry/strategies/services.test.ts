import type { KubeObject } from '@tkube/api';
import { parseCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { statusErrorOf, testCluster } from '../test-fixtures.js';
import type { ServiceRanges } from './service-ranges.js';

function service(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec },
  };
}

function specOf(object: KubeObject): Record<string, unknown> {
  return object.spec as Record<string, unknown>;
}

function toNumber(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

describe('services', () => {
  it('a new ClusterIP Service gets a free address from 10.96.0.0/12, above the static band', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const { object } = await services.create('default', service('web'), {});
    const ip = specOf(object).clusterIP as string;
    expect(toNumber(ip)).toBeGreaterThanOrEqual(toNumber('10.96.1.0'));
    expect(toNumber(ip)).toBeLessThan(toNumber('10.112.0.0'));
    expect(specOf(object).clusterIPs).toEqual([ip]);
    expect(object.status).toEqual({ loadBalancer: {} });
  });

  it('a requested address is honoured when free and refused with 422 when taken', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const { object } = await services.create('kube-system', service('dns', { clusterIP: '10.96.0.10' }), {});
    expect(specOf(object).clusterIP).toBe('10.96.0.10');
    const err = await statusErrorOf(() =>
      services.create('default', service('other', { clusterIP: '10.96.0.10' }), {}),
    );
    expect(err.code).toBe(422);
    expect(err.message).toContain('provided IP is already allocated');
  });

  it('concurrent creates asking for one address: exactly one gets it, the others 422', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        services.create('default', service(`racer-${i}`, { clusterIP: '10.96.0.42' }), {}),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 422 });
    }
  });

  it('concurrent creates of NodePort Services asking for one node port: exactly one gets it', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        services.create(
          'default',
          service(`np-${i}`, { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }),
          {},
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('an update to NodePort gives node ports, later updates keep them, and a return to ClusterIP drops them', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const created = (await services.create('default', service('web'), {})).object;
    const ip = specOf(created).clusterIP;
    // kubectl patch -p '{"spec":{"type":"NodePort"}}'
    const patched = (await services.patch('default', 'web', 'merge', Buffer.from('{"spec":{"type":"NodePort"}}'), {}))
      .object;
    const nodePort = (specOf(patched).ports as Array<{ nodePort?: number }>)[0]?.nodePort ?? 0;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    expect(specOf(patched).clusterIP).toBe(ip);

    // A replace that leaves out the allocated values (kubectl replace of a hand-written file) keeps them.
    const { clusterIP: _ip, clusterIPs: _ips, ...handWritten } = specOf(patched);
    const replaced = (
      await services.update(
        'default',
        'web',
        { ...patched, spec: { ...handWritten, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] } },
        {},
      )
    ).object;
    expect(specOf(replaced).clusterIP).toBe(ip);
    expect((specOf(replaced).ports as Array<{ nodePort?: number }>)[0]?.nodePort).toBe(nodePort);

    // Another Service cannot take that node port, on create or on update.
    const other = (await services.create('default', service('other'), {})).object;
    const err = await statusErrorOf(() =>
      services.update(
        'default',
        'other',
        { ...other, spec: { ...specOf(other), type: 'NodePort', ports: [{ port: 80, nodePort }] } },
        {},
      ),
    );
    expect(err.code).toBe(422);
    expect(err.message).toContain('provided port is already allocated');

    const back = (await services.patch('default', 'web', 'merge', Buffer.from('{"spec":{"type":"ClusterIP"}}'), {}))
      .object;
    expect((specOf(back).ports as Array<{ nodePort?: number }>)[0]?.nodePort).toBeUndefined();
    expect(specOf(back).clusterIP).toBe(ip);
    // Freed: the other Service may have it now.
    const taken = await services.update(
      'default',
      'other',
      { ...other, spec: { ...specOf(other), type: 'NodePort', ports: [{ port: 80, nodePort }] } },
      {},
    );
    expect((specOf(taken.object).ports as Array<{ nodePort?: number }>)[0]?.nodePort).toBe(nodePort);
  });

  it('an address outside the range answers 422', async () => {
    const cluster = await testCluster();
    const err = await statusErrorOf(() =>
      cluster.registry('services').create('default', service('web', { clusterIP: '192.168.0.1' }), {}),
    );
    expect(err.code).toBe(422);
    expect(err.message).toContain('The range of valid IPs is 10.96.0.0/12');
  });

  it('a headless Service keeps clusterIP None', async () => {
    const cluster = await testCluster();
    const { object } = await cluster.registry('services').create('default', service('db', { clusterIP: 'None' }), {});
    expect(specOf(object).clusterIP).toBe('None');
  });

  it('every Service gets its own address', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const ips = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { object } = await services.create('default', service(`s${i}`), {});
      ips.add(specOf(object).clusterIP as string);
    }
    expect(ips.size).toBe(20);
  });

  it('a NodePort Service gets node ports in 30000-32767; a taken one answers 422', async () => {
    const cluster = await testCluster();
    const services = cluster.registry('services');
    const { object } = await services.create(
      'default',
      service('web', {
        type: 'NodePort',
        ports: [
          { port: 80, name: 'http' },
          { port: 443, name: 'https', nodePort: 30443 },
        ],
      }),
      {},
    );
    const ports = specOf(object).ports as Array<Record<string, unknown>>;
    expect(ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(ports[0].nodePort).toBeLessThanOrEqual(32767);
    expect(ports[1].nodePort).toBe(30443);
    const err = await statusErrorOf(() =>
      services.create('default', service('other', { type: 'NodePort', ports: [{ port: 80, nodePort: 30443 }] }), {}),
    );
    expect(err.code).toBe(422);
    expect(err.details?.causes?.[0]?.field).toBe('spec.ports[0].nodePort');
  });

  describe('with ranges of its own (--service-cluster-ip-range 10.97.16.0/20, --service-node-port-range 30100-30249)', () => {
    const clusterIPRange = parseCidr('10.97.16.0/20');
    if (!clusterIPRange) throw new Error('bad test range');
    const serviceRanges: ServiceRanges = { clusterIPRange, nodePortRange: { min: 30100, max: 30249 } };

    it('gives addresses and node ports from the configured ranges only', async () => {
      const cluster = await testCluster({ serviceRanges });
      const services = cluster.registry('services');
      for (let i = 0; i < 10; i++) {
        const { object } = await services.create('default', service(`s${i}`, { type: 'NodePort' }), {});
        const ip = toNumber(specOf(object).clusterIP as string);
        // Above the static band of a /20 (256 addresses), below the broadcast address.
        expect(ip).toBeGreaterThanOrEqual(toNumber('10.97.17.0'));
        expect(ip).toBeLessThan(toNumber('10.97.31.255'));
        const nodePort = (specOf(object).ports as Array<Record<string, unknown>>)[0]?.nodePort;
        expect(nodePort).toBeGreaterThanOrEqual(30100);
        expect(nodePort).toBeLessThanOrEqual(30249);
      }
    });

    it('honours requested addresses in the range, the DNS one included, and names the range when refusing', async () => {
      const cluster = await testCluster({ serviceRanges });
      const services = cluster.registry('services');
      const { object } = await services.create('kube-system', service('dns', { clusterIP: '10.97.16.10' }), {});
      expect(specOf(object).clusterIP).toBe('10.97.16.10');
      const outside = await statusErrorOf(() =>
        services.create('default', service('web', { clusterIP: '10.96.0.20' }), {}),
      );
      expect(outside.code).toBe(422);
      expect(outside.message).toContain(
        'spec.clusterIPs[0]: Invalid value: "10.96.0.20": provided IP is not in the valid range. The range of valid IPs is 10.97.16.0/20',
      );
      const port = await statusErrorOf(() =>
        services.create('default', service('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30250 }] }), {}),
      );
      expect(port.code).toBe(422);
      expect(port.message).toContain(
        'spec.ports[0].nodePort: Invalid value: 30250: provided port is not in the valid range. The range of valid ports is 30100-30249',
      );
    });

    it('hands out every node port of the range once, then answers 422 until one is freed by a delete', async () => {
      const cluster = await testCluster({
        serviceRanges: { clusterIPRange, nodePortRange: { min: 30100, max: 30102 } },
      });
      const services = cluster.registry('services');
      const nodePortOf = (object: KubeObject) => (specOf(object).ports as Array<Record<string, unknown>>)[0]?.nodePort;
      const ports: unknown[] = [];
      for (let i = 0; i < 3; i++) {
        const { object } = await services.create('default', service(`s${i}`, { type: 'NodePort' }), {});
        ports.push(nodePortOf(object));
      }
      expect([...ports].sort()).toEqual([30100, 30101, 30102]);
      const full = await statusErrorOf(() => services.create('default', service('s3', { type: 'NodePort' }), {}));
      expect(full.code).toBe(422);
      expect(full.message).toContain('range is full');
      await services.delete('default', 's1', {});
      const { object } = await services.create('default', service('s3', { type: 'NodePort' }), {});
      expect(nodePortOf(object)).toBe(ports[1]);
    });
  });
});
