import type { Node } from '@tkube/api';
import { formatCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { nodeAddresses } from './start-proxy.js';

describe('nodeAddresses', () => {
  it("takes the Node's IPv4 internal and external addresses once each, as /32", () => {
    const node: Node = {
      metadata: { name: 'node-a' },
      status: {
        addresses: [
          { type: 'Hostname', address: 'node-a' },
          { type: 'InternalIP', address: '192.0.2.2' },
          { type: 'InternalIP', address: 'fd00::2' },
          { type: 'ExternalIP', address: '198.51.100.7' },
          { type: 'ExternalIP', address: '192.0.2.2' },
          { type: 'InternalIP', address: '127.0.0.1' },
        ],
      },
    };
    expect(nodeAddresses([node]).map(formatCidr)).toEqual(['192.0.2.2/32', '198.51.100.7/32']);
    expect(nodeAddresses([])).toEqual([]);
  });
});
