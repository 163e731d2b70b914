import type { Container, Pod, Service } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { containerEnv } from './container-env.js';
import { ContainerConfigError } from './errors.js';
import { type ServiceLister, serviceEnvOf, serviceEnvVars } from './service-env.js';

function service(namespace: string, name: string, clusterIP: string | undefined, ports: Service['spec'] = {}): Service {
  return {
    metadata: { namespace, name },
    spec: { ...(clusterIP !== undefined ? { clusterIP } : {}), ports: [{ port: 80 }], ...ports },
  };
}

const redis = service('shop', 'redis-primary', '10.0.0.11', { ports: [{ name: 'redis', port: 6379 }] });
const master = service('default', 'kubernetes', '10.96.0.1', {
  ports: [{ name: 'https', port: 443, protocol: 'TCP' }],
});

function lister(services: Service[], synced = true): ServiceLister {
  return {
    hasSynced: () => synced,
    servicesIn: (namespace) => services.filter((s) => s.metadata?.namespace === namespace),
  };
}

function pod(namespace: string, enableServiceLinks?: boolean): Pod {
  return {
    metadata: { name: 'client', namespace, uid: 'u1' },
    spec: { containers: [], ...(enableServiceLinks !== undefined ? { enableServiceLinks } : {}) },
  };
}

describe('serviceEnvVars', () => {
  it('names and orders the variables as kube does', () => {
    expect(serviceEnvVars([redis])).toEqual([
      { name: 'REDIS_PRIMARY_SERVICE_HOST', value: '10.0.0.11' },
      { name: 'REDIS_PRIMARY_SERVICE_PORT', value: '6379' },
      { name: 'REDIS_PRIMARY_SERVICE_PORT_REDIS', value: '6379' },
      { name: 'REDIS_PRIMARY_PORT', value: 'tcp://10.0.0.11:6379' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP', value: 'tcp://10.0.0.11:6379' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP_PROTO', value: 'tcp' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP_PORT', value: '6379' },
      { name: 'REDIS_PRIMARY_PORT_6379_TCP_ADDR', value: '10.0.0.11' },
    ]);
  });

  it('gives the first port the short names and every port its link variables', () => {
    const dns = service('kube-system', 'kube-dns', '10.96.0.10', {
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    });
    const env = Object.fromEntries(serviceEnvVars([dns]).map((v) => [v.name, v.value]));
    expect(env).toEqual({
      KUBE_DNS_SERVICE_HOST: '10.96.0.10',
      KUBE_DNS_SERVICE_PORT: '53',
      KUBE_DNS_SERVICE_PORT_DNS: '53',
      KUBE_DNS_SERVICE_PORT_DNS_TCP: '53',
      KUBE_DNS_PORT: 'udp://10.96.0.10:53',
      KUBE_DNS_PORT_53_UDP: 'udp://10.96.0.10:53',
      KUBE_DNS_PORT_53_UDP_PROTO: 'udp',
      KUBE_DNS_PORT_53_UDP_PORT: '53',
      KUBE_DNS_PORT_53_UDP_ADDR: '10.96.0.10',
      KUBE_DNS_PORT_53_TCP: 'tcp://10.96.0.10:53',
      KUBE_DNS_PORT_53_TCP_PROTO: 'tcp',
      KUBE_DNS_PORT_53_TCP_PORT: '53',
      KUBE_DNS_PORT_53_TCP_ADDR: '10.96.0.10',
    });
  });

  it('skips Services without a cluster IP (headless, not yet allocated) and brackets IPv6', () => {
    expect(
      serviceEnvVars([service('a', 'headless', 'None'), service('a', 'pending', ''), service('a', 'x', undefined)]),
    ).toEqual([]);
    const v6 = serviceEnvVars([service('a', 'web', 'fd00::10')]);
    expect(v6).toContainEqual({ name: 'WEB_PORT', value: 'tcp://[fd00::10]:80' });
    expect(v6).toContainEqual({ name: 'WEB_PORT_80_TCP_ADDR', value: 'fd00::10' });
  });
});

describe('serviceEnvOf', () => {
  const other = service('elsewhere', 'other', '10.0.0.99');
  const all = [master, redis, other, service('default', 'web', '10.0.0.5')];

  it('gives the Services of the pod namespace and the master service of default', () => {
    const env = serviceEnvOf(pod('shop'), lister(all));
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(env.get('KUBERNETES_SERVICE_PORT')).toBe('443');
    expect(env.get('KUBERNETES_SERVICE_PORT_HTTPS')).toBe('443');
    expect(env.get('KUBERNETES_PORT_443_TCP')).toBe('tcp://10.96.0.1:443');
    expect(env.get('REDIS_PRIMARY_SERVICE_HOST')).toBe('10.0.0.11');
    expect(env.has('OTHER_SERVICE_HOST')).toBe(false);
    // Other Services of default are for pods of default only.
    expect(env.has('WEB_SERVICE_HOST')).toBe(false);
    expect(serviceEnvOf(pod('default'), lister(all)).get('WEB_SERVICE_HOST')).toBe('10.0.0.5');
  });

  it('gives only the master service with enableServiceLinks false', () => {
    const env = serviceEnvOf(pod('shop', false), lister(all));
    expect([...env.keys()].every((name) => name.startsWith('KUBERNETES_'))).toBe(true);
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect([...serviceEnvOf(pod('default', false), lister(all)).keys()].some((k) => k.startsWith('WEB_'))).toBe(false);
  });

  it("lets a Service named kubernetes in the pod's namespace win over the master one", () => {
    const own = service('shop', 'kubernetes', '10.0.0.77');
    expect(serviceEnvOf(pod('shop'), lister([master, own])).get('KUBERNETES_SERVICE_HOST')).toBe('10.0.0.77');
    expect(serviceEnvOf(pod('shop', false), lister([master, own])).get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
  });

  it('refuses to guess before the Services were listed once', () => {
    expect(() => serviceEnvOf(pod('shop'), lister(all, false))).toThrow(ContainerConfigError);
    expect(() => serviceEnvOf(pod('shop'), lister(all, false))).toThrow(
      'services have not yet been read at least once, cannot construct envvars',
    );
  });
});

describe('containerEnv with Services', () => {
  const context = {
    source: { getConfigMap: async () => undefined, getSecret: async () => undefined },
    allocatable: { cpu: '1', memory: '1Gi' },
    podIps: ['10.244.1.5'],
    hostIps: ['127.0.0.1'],
    services: lister([master, redis]),
  };

  it("puts the container's own variables first and lets them win; $(VAR) may name a Service variable", async () => {
    const container: Container = {
      name: 'c',
      env: [
        { name: 'REDIS_PRIMARY_SERVICE_PORT', value: '7000' },
        { name: 'REDIS_URL', value: 'redis://$(REDIS_PRIMARY_SERVICE_HOST):$(REDIS_PRIMARY_SERVICE_PORT)' },
      ],
    };
    const env = await containerEnv(pod('shop'), container, context);
    expect(env.slice(0, 2)).toEqual([
      { name: 'REDIS_PRIMARY_SERVICE_PORT', value: '7000' },
      { name: 'REDIS_URL', value: 'redis://10.0.0.11:7000' },
    ]);
    const names = env.map((v) => v.name);
    expect(names.filter((n) => n === 'REDIS_PRIMARY_SERVICE_PORT')).toHaveLength(1);
    expect(names.slice(2, 4)).toEqual(['KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT']);
    expect(Object.fromEntries(env.map((v) => [v.name, v.value]))).toMatchObject({
      REDIS_PRIMARY_SERVICE_HOST: '10.0.0.11',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '10.0.0.11',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
    });
  });

  it('fails the container with CreateContainerConfigError while the Services are not listed', async () => {
    const run = containerEnv(pod('shop'), { name: 'c' }, { ...context, services: lister([], false) });
    await expect(run).rejects.toMatchObject({ reason: 'CreateContainerConfigError' });
  });
});
