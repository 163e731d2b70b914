import type { KubeObject } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { statusErrorOf, testCluster } from '../test-fixtures.js';

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
});
