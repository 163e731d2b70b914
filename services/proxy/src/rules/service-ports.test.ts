import { describe, expect, it } from 'vitest';
import { service, slice } from '../testing/objects.js';
import { servicePortsOf } from './service-ports.js';

describe('servicePortsOf', () => {
  it('pairs each service port with the ready endpoints of its slices, sorted and unique', () => {
    const ports = servicePortsOf(
      [service('web', {})],
      [
        slice('web', ['10.244.1.12', { ip: '10.244.1.3', ready: false }, '10.244.1.9'], undefined, { name: 'web-1' }),
        slice('web', ['10.244.1.9', { ip: '10.244.1.2' }], undefined, { name: 'web-2' }),
      ],
    );
    expect(ports).toEqual([
      {
        name: 'default/web:http',
        protocol: 'TCP',
        clusterIP: '10.96.0.50',
        port: 80,
        nodePort: undefined,
        affinitySeconds: undefined,
        endpoints: [
          { ip: '10.244.1.2', port: 8080 },
          { ip: '10.244.1.9', port: 8080 },
          { ip: '10.244.1.12', port: 8080 },
        ],
      },
    ]);
  });

  it('matches slice ports by name and protocol, an unnamed port as namespace/name', () => {
    const svc = service('dns', {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
      ],
    });
    const ports = servicePortsOf(
      [svc, service('plain', { clusterIP: '10.96.0.11', ports: [{ port: 80 }] })],
      [
        slice(
          'dns',
          ['10.244.0.5'],
          [
            { name: 'dns', port: 5353, protocol: 'UDP' },
            { name: 'dns-tcp', port: 5354, protocol: 'TCP' },
          ],
        ),
        slice('plain', ['10.244.0.6'], [{ port: 8000 }]),
      ],
    );
    expect(ports.map((p) => [p.name, p.protocol, p.endpoints.map((e) => e.port)])).toEqual([
      ['default/dns:dns', 'UDP', [5353]],
      ['default/dns:dns-tcp', 'TCP', [5354]],
      ['default/plain', 'TCP', [8000]],
    ]);
  });

  it('skips headless, ExternalName and IPv6 services, and slices of other namespaces or address types', () => {
    const ports = servicePortsOf(
      [
        service('headless', { clusterIP: 'None' }),
        { ...service('ext', {}), spec: { type: 'ExternalName', externalName: 'example.org' } },
        service('v6', { clusterIP: 'fd00::10' }),
        service('web', {}),
      ],
      [
        slice('web', ['10.244.1.2'], undefined, { namespace: 'other' }),
        slice('web', ['fd00::1'], undefined, { addressType: 'IPv6' }),
      ],
    );
    expect(ports.map((p) => p.name)).toEqual(['default/web:http']);
    expect(ports[0]?.endpoints).toEqual([]);
  });

  it('carries the NodePort and the ClientIP affinity timeout (3 hours by default)', () => {
    const ports = servicePortsOf(
      [
        service('np', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }),
        service('sticky', { clusterIP: '10.96.0.51', sessionAffinity: 'ClientIP' }),
        service('sticky-short', { clusterIP: '10.96.0.52', sessionAffinity: 'ClientIP', timeoutSeconds: 60 }),
      ],
      [],
    );
    expect(ports.map((p) => [p.name, p.nodePort, p.affinitySeconds])).toEqual([
      ['default/np:http', 30080, undefined],
      ['default/sticky-short:http', undefined, 60],
      ['default/sticky:http', undefined, 10_800],
    ]);
  });
});
