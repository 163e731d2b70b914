import { describe, expect, it } from 'vitest';
import { ipv4AddressesOf, ipv6AddressesOf } from './pod-ips.js';

const FIB_TRIE = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 10.244.0.0/24 2 0 2
        |-- 10.244.0.0
           /24 link UNICAST
        |-- 10.244.0.7
           /32 host LOCAL
        |-- 10.244.0.255
           /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        |-- 127.0.0.1
           /32 host LOCAL
Local:
  +-- 0.0.0.0/0 3 0 5
     |-- 10.244.0.7
        /32 host LOCAL
`;

describe('pod IPs from /proc/<pid>/net', () => {
  it('finds the local IPv4 addresses, not loopback, not broadcast', () => {
    expect(ipv4AddressesOf(FIB_TRIE)).toEqual(['10.244.0.7']);
    expect(ipv4AddressesOf('')).toEqual([]);
  });

  it('finds global IPv6 addresses, not link-local or loopback', () => {
    const ifInet6 = [
      'fd000000000000000000000000000002 04 40 00 82     eth0',
      'fe8000000000000000fc00fffe000001 04 40 20 80     eth0',
      '00000000000000000000000000000001 01 80 10 80       lo',
      '20010db8000000010000000000000abc 04 40 00 80     eth0',
    ].join('\n');
    expect(ipv6AddressesOf(ifInet6)).toEqual(['fd00::2', '2001:db8:0:1::abc']);
  });
});
