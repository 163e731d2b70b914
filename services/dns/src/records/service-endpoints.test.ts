import type { EndpointSlice } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { endpointSlice, headlessService } from '../testing/objects.js';
import { serviceEndpoints } from './service-endpoints.js';

const service = headlessService('default', 'db', [{ name: 'pg', port: 5432 }]);

describe('serviceEndpoints', () => {
  it('names an endpoint by hostname, else pod name, else dashed address; all of them find it', () => {
    const slice = endpointSlice('default', 'db', 'db-1', [
      { ip: '10.244.0.5', hostname: 'db-0', pod: 'db-0-pod' },
      { ip: '10.244.0.6', pod: 'web-7d9f-abcde' },
      { ip: '10.244.0.7' },
    ]);
    const endpoints = serviceEndpoints(service, [slice]);
    expect(endpoints.map((e) => e.label)).toEqual(['db-0', 'web-7d9f-abcde', '10-244-0-7']);
    expect([...(endpoints[0]?.names ?? [])]).toEqual(['db-0', 'db-0-pod', '10-244-0-5']);
  });

  it('keeps ready endpoints (a missing condition counts as ready) unless the service publishes not-ready ones', () => {
    const slice = endpointSlice('default', 'db', 'db-1', [{ ip: '10.244.0.5', ready: false }, { ip: '10.244.0.6' }]);
    delete slice.endpoints?.[1]?.conditions;
    expect(serviceEndpoints(service, [slice]).map((e) => e.addresses)).toEqual([['10.244.0.6']]);
    const publishing = { ...service, spec: { ...service.spec, publishNotReadyAddresses: true } };
    expect(serviceEndpoints(publishing, [slice]).map((e) => e.addresses)).toEqual([['10.244.0.5'], ['10.244.0.6']]);
  });

  it('publishes an address held by two slices once, and ignores FQDN slices and pod names that are not labels', () => {
    const a = endpointSlice('default', 'db', 'db-a', [{ ip: '10.244.0.5' }]);
    const b = endpointSlice('default', 'db', 'db-b', [{ ip: '10.244.0.5' }, { ip: '10.244.0.9', pod: 'has.dots' }]);
    const fqdn: EndpointSlice = { ...a, addressType: 'FQDN', endpoints: [{ addresses: ['example.com'] }] };
    const endpoints = serviceEndpoints(service, [a, b, fqdn]);
    expect(endpoints.map((e) => e.label)).toEqual(['10-244-0-5', '10-244-0-9']);
  });

  it('carries its slice ports, lower case', () => {
    const slice = endpointSlice('default', 'db', 'db-1', [{ ip: '10.244.0.5' }], [{ name: 'PG', port: 15432 }]);
    expect(serviceEndpoints(service, [slice])[0]?.ports).toEqual([{ name: 'pg', protocol: 'tcp', port: 15432 }]);
  });
});
