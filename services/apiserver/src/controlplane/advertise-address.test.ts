import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { advertiseAddressFor } from './advertise-address.js';

function nic(address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo {
  const common = { address, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const HOST = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('fe80::1', 'IPv6', false), nic('192.0.2.5', 'IPv4', false)],
};

describe('advertiseAddressFor', () => {
  it('takes the flag, else the bind address', () => {
    expect(advertiseAddressFor({ advertiseAddress: '192.0.2.9', bindAddress: '127.0.0.1' }, HOST)).toBe('192.0.2.9');
    expect(advertiseAddressFor({ bindAddress: '127.0.0.1' }, HOST)).toBe('127.0.0.1');
    expect(advertiseAddressFor({ bindAddress: '192.0.2.5' }, HOST)).toBe('192.0.2.5');
  });

  it('takes the host first non-loopback IPv4 for a wildcard or IPv6 bind, else 127.0.0.1', () => {
    expect(advertiseAddressFor({ bindAddress: '0.0.0.0' }, HOST)).toBe('192.0.2.5');
    expect(advertiseAddressFor({ bindAddress: '::' }, HOST)).toBe('192.0.2.5');
    expect(advertiseAddressFor({ bindAddress: '0.0.0.0' }, { lo: HOST.lo })).toBe('127.0.0.1');
  });
});
