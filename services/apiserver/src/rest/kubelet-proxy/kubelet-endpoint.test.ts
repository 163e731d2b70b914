import type { Node } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { kubeletEndpoint, kubeletUrl } from './kubelet-endpoint.js';

function node(addresses: { type: string; address: string }[], port?: number): Node {
  return {
    metadata: { name: 'node-1' },
    status: { addresses, ...(port !== undefined ? { daemonEndpoints: { kubeletEndpoint: { Port: port } } } : {}) },
  };
}

describe('kubeletEndpoint', () => {
  it('prefers the InternalIP and the port the kubelet reported', () => {
    const n = node(
      [
        { type: 'Hostname', address: 'node-1' },
        { type: 'InternalIP', address: '10.0.0.7' },
      ],
      11250,
    );
    expect(kubeletEndpoint(n)).toEqual({ host: '10.0.0.7', port: 11250 });
  });

  it('falls back to other address types and to port 10250', () => {
    expect(kubeletEndpoint(node([{ type: 'Hostname', address: 'node-1' }]))).toEqual({ host: 'node-1', port: 10250 });
    expect(kubeletEndpoint(node([{ type: 'InternalIP', address: '10.0.0.7' }], 0)).port).toBe(10250);
  });

  it('fails with 500 when the node has no address', () => {
    expect(() => kubeletEndpoint(node([]))).toThrow(/no preferred addresses found/);
  });
});

describe('kubeletUrl', () => {
  it('builds /{what}/{namespace}/{pod}/{container} with the query', () => {
    const query = new URLSearchParams('command=echo&command=a b&stdout=1');
    const target = { namespace: 'default', pod: 'web', container: 'app' };
    expect(kubeletUrl({ host: '127.0.0.1', port: 10250 }, 'wss', 'exec', target, query).href).toBe(
      'wss://127.0.0.1:10250/exec/default/web/app?command=echo&command=a+b&stdout=1',
    );
    expect(
      kubeletUrl({ host: 'fd00::1', port: 10250 }, 'https', 'containerLogs', target, new URLSearchParams()).href,
    ).toBe('https://[fd00::1]:10250/containerLogs/default/web/app');
  });
});
