import type { Answer } from 'dns-packet';
import { beforeEach, describe, expect, it } from 'vitest';
import { clusterIPService, endpointSlice, headlessService } from '../testing/objects.js';
import { RecordIndex, type Resolution } from './record-index.js';

const ZONE = 'cluster.local';
let index: RecordIndex;

function answers(resolution: Resolution): Answer[] {
  if (resolution.kind !== 'found') throw new Error(`expected records, got ${resolution.kind}`);
  return resolution.answers;
}
const data = (resolution: Resolution) => answers(resolution).map((a) => ('data' in a ? a.data : undefined));

beforeEach(() => {
  index = new RecordIndex({ zone: ZONE, ttl: 5, nameserver: '10.96.0.10', now: () => 1_700_000_000 });
  index.setService(clusterIPService('default', 'web', '10.96.4.2', [{ name: 'http', port: 80, targetPort: 8080 }]));
  index.setService(
    headlessService('default', 'db', [
      { name: 'pg', port: 5432 },
      { name: 'metrics', port: 9100, protocol: 'UDP' },
    ]),
  );
  index.setEndpointSlice(
    endpointSlice(
      'default',
      'db',
      'db-abc',
      [
        { ip: '10.244.0.5', hostname: 'db-0', pod: 'db-0' },
        { ip: '10.244.0.6', pod: 'db-1' },
        { ip: '10.244.0.7', pod: 'db-2', ready: false },
      ],
      [{ name: 'pg', port: 15432 }],
    ),
  );
});

describe('A records', () => {
  it('answer a service name with its ClusterIP, with a 5 s TTL, whatever the case and final dot', () => {
    const resolution = index.resolve('Web.Default.SVC.cluster.local.', 'A');
    expect(answers(resolution)).toEqual([
      { type: 'A', name: 'Web.Default.SVC.cluster.local', ttl: 5, data: '10.96.4.2' },
    ]);
  });

  it('answer a headless service with the addresses of its ready endpoints', () => {
    expect(data(index.resolve('db.default.svc.cluster.local', 'A'))).toEqual(['10.244.0.5', '10.244.0.6']);
  });

  it('answer an endpoint of a headless service by hostname, by pod name and by dashed address', () => {
    expect(data(index.resolve('db-0.db.default.svc.cluster.local', 'A'))).toEqual(['10.244.0.5']);
    expect(data(index.resolve('db-1.db.default.svc.cluster.local', 'A'))).toEqual(['10.244.0.6']);
    expect(data(index.resolve('10-244-0-6.db.default.svc.cluster.local', 'A'))).toEqual(['10.244.0.6']);
  });

  it('know no not-ready endpoint, and no endpoint names under a ClusterIP service', () => {
    expect(index.resolve('db-2.db.default.svc.cluster.local', 'A')).toEqual({ kind: 'nxdomain' });
    expect(index.resolve('web-0.web.default.svc.cluster.local', 'A')).toEqual({ kind: 'nxdomain' });
  });

  it('follow endpoints as slices change and go', () => {
    index.setEndpointSlice(endpointSlice('default', 'db', 'db-abc', [{ ip: '10.244.0.9', pod: 'db-9' }]));
    expect(data(index.resolve('db.default.svc.cluster.local', 'A'))).toEqual(['10.244.0.9']);
    index.deleteEndpointSlice(endpointSlice('default', 'db', 'db-abc', []));
    expect(answers(index.resolve('db.default.svc.cluster.local', 'A'))).toEqual([]);
  });

  it('follow a service that goes', () => {
    index.deleteService(clusterIPService('default', 'web', '10.96.4.2'));
    expect(index.resolve('web.default.svc.cluster.local', 'A')).toEqual({ kind: 'nxdomain' });
  });

  it('answer a pod name with the address it spells', () => {
    expect(data(index.resolve('10-244-1-7.default.pod.cluster.local', 'A'))).toEqual(['10.244.1.7']);
    expect(index.resolve('10-244-1.default.pod.cluster.local', 'A')).toEqual({ kind: 'nxdomain' });
  });

  it('give a CNAME for an ExternalName service, whatever type is asked', () => {
    index.setService({
      metadata: { namespace: 'default', name: 'ext' },
      spec: { type: 'ExternalName', externalName: 'db.example.com.' },
    });
    expect(answers(index.resolve('ext.default.svc.cluster.local', 'A'))).toEqual([
      { type: 'CNAME', name: 'ext.default.svc.cluster.local', ttl: 5, data: 'db.example.com' },
    ]);
  });
});

describe('existing names without the asked type', () => {
  it.each([
    ['web.default.svc.cluster.local', 'AAAA'],
    ['web.default.svc.cluster.local', 'MX'],
    ['default.svc.cluster.local', 'A'],
    ['svc.cluster.local', 'A'],
    ['_tcp.web.default.svc.cluster.local', 'A'],
    ['cluster.local', 'A'],
  ])('%s %s has no answers but exists', (name, type) => {
    expect(index.resolve(name, type)).toEqual({ kind: 'found', answers: [], additionals: [] });
  });
});

describe('names that do not exist', () => {
  it.each([
    'nope.default.svc.cluster.local',
    'web.other.svc.cluster.local',
    'other.svc.cluster.local',
    '_udp.web.default.svc.cluster.local',
    '_https._tcp.web.default.svc.cluster.local',
    '_http._udp.web.default.svc.cluster.local',
    'www.cluster.local',
    'web.default.svc.cluster.local.default.svc.cluster.local',
  ])('%s is NXDOMAIN', (name) => {
    expect(index.resolve(name, 'A')).toEqual({ kind: 'nxdomain' });
  });

  it('outside the zone are not ours', () => {
    expect(index.resolve('example.com', 'A')).toEqual({ kind: 'not-authoritative' });
    expect(index.resolve('local', 'A')).toEqual({ kind: 'not-authoritative' });
    expect(index.resolve('9.9.9.9.in-addr.arpa', 'PTR')).toEqual({ kind: 'not-authoritative' });
  });
});

describe('SRV records', () => {
  it('name the service for a ClusterIP service, with its address as an additional', () => {
    const resolution = index.resolve('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(resolution).toEqual({
      kind: 'found',
      answers: [
        {
          type: 'SRV',
          name: '_http._tcp.web.default.svc.cluster.local',
          ttl: 5,
          data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
        },
      ],
      additionals: [{ type: 'A', name: 'web.default.svc.cluster.local', ttl: 5, data: '10.96.4.2' }],
    });
  });

  it('name each ready endpoint of a headless service, at the port the endpoints listen on, sharing the weight', () => {
    const resolution = index.resolve('_pg._tcp.db.default.svc.cluster.local', 'SRV');
    expect(data(resolution)).toEqual([
      { priority: 0, weight: 50, port: 15432, target: 'db-0.db.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 15432, target: 'db-1.db.default.svc.cluster.local' },
    ]);
    expect(resolution.kind === 'found' && resolution.additionals.map((a) => [a.name, 'data' in a && a.data])).toEqual([
      ['db-0.db.default.svc.cluster.local', '10.244.0.5'],
      ['db-1.db.default.svc.cluster.local', '10.244.0.6'],
    ]);
  });

  it('fall back to the service port when the slice does not carry the port', () => {
    expect(data(index.resolve('_metrics._udp.db.default.svc.cluster.local', 'SRV'))).toEqual([
      { priority: 0, weight: 50, port: 9100, target: 'db-0.db.default.svc.cluster.local' },
      { priority: 0, weight: 50, port: 9100, target: 'db-1.db.default.svc.cluster.local' },
    ]);
  });

  it('exist without answers for another type', () => {
    expect(index.resolve('_http._tcp.web.default.svc.cluster.local', 'A')).toEqual({
      kind: 'found',
      answers: [],
      additionals: [],
    });
  });
});

describe('the rest of the zone', () => {
  it('answers PTR for ClusterIPs and headless endpoints', () => {
    expect(data(index.resolve('2.4.96.10.in-addr.arpa', 'PTR'))).toEqual(['web.default.svc.cluster.local']);
    expect(data(index.resolve('5.0.244.10.in-addr.arpa', 'PTR'))).toEqual(['db-0.db.default.svc.cluster.local']);
  });

  it('publishes the schema version, the SOA and the name server', () => {
    expect(data(index.resolve('dns-version.cluster.local', 'TXT'))).toEqual([['1.1.0']]);
    expect(answers(index.resolve('cluster.local', 'SOA'))[0]).toMatchObject({
      type: 'SOA',
      data: { mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', minimum: 5 },
    });
    expect(data(index.resolve('cluster.local', 'NS'))).toEqual(['ns.dns.cluster.local']);
    expect(data(index.resolve('ns.dns.cluster.local', 'A'))).toEqual(['10.96.0.10']);
  });

  it('moves the SOA serial on every change', () => {
    const before = index.soa().data.serial ?? 0;
    index.deleteService(clusterIPService('default', 'web', '10.96.4.2'));
    expect(index.soa().data.serial).toBe(before + 1);
  });

  it('answers ANY with every record of the name', () => {
    expect(answers(index.resolve('cluster.local', 'ANY')).map((a) => a.type)).toEqual(['SOA', 'NS']);
  });
});
