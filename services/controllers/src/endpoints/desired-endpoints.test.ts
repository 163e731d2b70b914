import type { Pod, Service } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { desiredEndpoints } from './desired-endpoints.js';
import { desiredEndpointSlices } from './desired-slices.js';

function service(overrides: Partial<NonNullable<Service['spec']>> = {}): Service {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid' },
    spec: {
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      ...overrides,
    },
  };
}

interface PodOptions {
  ip?: string;
  ready?: boolean;
  labels?: Record<string, string>;
  httpPort?: number;
  terminating?: boolean;
  phase?: string;
}

function pod(name: string, options: PodOptions = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      labels: options.labels ?? { app: 'web' },
      ...(options.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      nodeName: 'node-1',
      containers: [
        {
          name: 'c',
          ports: options.httpPort === undefined ? [] : [{ name: 'http', containerPort: options.httpPort }],
        },
      ],
    },
    status: {
      phase: options.phase ?? 'Running',
      ...(options.ip === undefined ? {} : { podIP: options.ip }),
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  };
}

describe('desiredEndpoints', () => {
  it('puts ready pods in addresses and unready ones in notReadyAddresses, with the named port resolved', () => {
    const endpoints = desiredEndpoints(service(), [
      pod('a', { ip: '10.244.0.2', httpPort: 8080 }),
      pod('b', { ip: '10.244.0.3', httpPort: 8080, ready: false }),
    ]);
    expect(endpoints.metadata?.name).toBe('web');
    expect(endpoints.subsets).toEqual([
      {
        addresses: [
          {
            ip: '10.244.0.2',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'a-uid' },
          },
        ],
        notReadyAddresses: [
          {
            ip: '10.244.0.3',
            nodeName: 'node-1',
            targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'b-uid' },
          },
        ],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  it('groups pods whose named port resolves differently into separate subsets', () => {
    const endpoints = desiredEndpoints(service(), [
      pod('a', { ip: '10.244.0.2', httpPort: 8080 }),
      pod('b', { ip: '10.244.0.3', httpPort: 9090 }),
    ]);
    expect(endpoints.subsets?.map((s) => [s.ports?.[0]?.port, s.addresses?.map((a) => a.ip)])).toEqual([
      [8080, ['10.244.0.2']],
      [9090, ['10.244.0.3']],
    ]);
  });

  it('leaves out pods without an IP, without the named port, unselected, terminal or terminating', () => {
    const endpoints = desiredEndpoints(service(), [
      pod('no-ip', { httpPort: 8080 }),
      pod('no-port', { ip: '10.244.0.4' }),
      pod('other', { ip: '10.244.0.5', httpPort: 8080, labels: { app: 'db' } }),
      pod('done', { ip: '10.244.0.6', httpPort: 8080, phase: 'Succeeded' }),
      pod('going', { ip: '10.244.0.7', httpPort: 8080, terminating: true }),
    ]);
    expect(endpoints.subsets).toEqual([]);
  });

  it('uses a numeric targetPort as is and defaults it to the service port', () => {
    const svc = service({
      ports: [
        { name: 'a', port: 80, targetPort: 8080 },
        { name: 'b', port: 81 },
      ],
    });
    const endpoints = desiredEndpoints(svc, [pod('a', { ip: '10.244.0.2' })]);
    expect(endpoints.subsets?.[0]?.ports).toEqual([
      { name: 'a', port: 8080, protocol: 'TCP' },
      { name: 'b', port: 81, protocol: 'TCP' },
    ]);
  });

  it('publishes unready pods as ready when publishNotReadyAddresses is set', () => {
    const svc = service({ publishNotReadyAddresses: true, ports: [{ port: 80 }] });
    const endpoints = desiredEndpoints(svc, [pod('a', { ip: '10.244.0.2', ready: false })]);
    expect(endpoints.subsets?.[0]?.addresses?.map((a) => a.ip)).toEqual(['10.244.0.2']);
    expect(endpoints.subsets?.[0]?.notReadyAddresses).toBeUndefined();
  });
});

describe('desiredEndpointSlices', () => {
  it('builds one IPv4 slice owned by the service, with ready/serving/terminating conditions', () => {
    const slices = desiredEndpointSlices(service(), [
      pod('a', { ip: '10.244.0.2', httpPort: 8080 }),
      pod('b', { ip: '10.244.0.3', httpPort: 8080, ready: false }),
      pod('c', { ip: '10.244.0.4', httpPort: 8080, terminating: true }),
    ]);
    expect(slices).toHaveLength(1);
    const slice = slices[0];
    expect(slice?.metadata?.name).toMatch(/^web-[0-9a-f]{5}$/);
    expect(slice?.metadata?.labels).toEqual({
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
    expect(slice?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Service', name: 'web', uid: 'svc-uid' });
    expect(slice?.addressType).toBe('IPv4');
    expect(slice?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice?.endpoints?.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.244.0.2', { ready: true, serving: true, terminating: false }],
      ['10.244.0.3', { ready: false, serving: false, terminating: false }],
      ['10.244.0.4', { ready: false, serving: true, terminating: true }],
    ]);
    expect(slice?.endpoints?.[0]?.targetRef).toEqual({ kind: 'Pod', namespace: 'default', name: 'a', uid: 'a-uid' });
    expect(slice?.endpoints?.[0]?.nodeName).toBe('node-1');
  });

  it('gives the same name to the same port set, so a resync changes nothing', () => {
    const first = desiredEndpointSlices(service(), [pod('a', { ip: '10.244.0.2', httpPort: 8080 })]);
    const second = desiredEndpointSlices(service(), [pod('b', { ip: '10.244.0.3', httpPort: 8080 })]);
    expect(first[0]?.metadata?.name).toBe(second[0]?.metadata?.name);
  });

  it('has no slice when no pod is selected', () => {
    expect(desiredEndpointSlices(service(), [pod('x', { ip: '10.244.0.2', labels: {} })])).toEqual([]);
  });
});
