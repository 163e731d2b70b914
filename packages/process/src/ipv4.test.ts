import { describe, expect, it } from 'vitest';
import {
  addressInCidr,
  broadcastOf,
  contains,
  formatCidr,
  formatIpv4,
  gatewayOf,
  isWithin,
  parseCidr,
  parseIpv4,
} from './ipv4.js';

describe('parseIpv4', () => {
  it('round-trips dotted quads', () => {
    for (const text of ['0.0.0.0', '10.244.1.5', '255.255.255.255']) {
      expect(formatIpv4(parseIpv4(text) ?? -1)).toBe(text);
    }
  });

  it('refuses anything that is not exactly four decimal octets', () => {
    for (const text of [
      '',
      '10.244.1',
      '10.244.1.256',
      '10.244.01.5',
      '10.244.1.5 ',
      '-1.0.0.0',
      '1.2.3.4.5',
      'a.b.c.d',
    ]) {
      expect(parseIpv4(text), text).toBeUndefined();
    }
  });
});

describe('parseCidr', () => {
  it('gives the gateway and broadcast of a node pod CIDR', () => {
    const cidr = parseCidr('10.244.1.0/24');
    expect(cidr).toBeDefined();
    if (!cidr) return;
    expect(formatIpv4(gatewayOf(cidr))).toBe('10.244.1.1');
    expect(formatIpv4(broadcastOf(cidr))).toBe('10.244.1.255');
    expect(formatCidr(cidr)).toBe('10.244.1.0/24');
  });

  it('refuses host bits, bad lengths and option-like text', () => {
    for (const text of ['10.244.1.7/24', '10.244.0.0/33', '10.244.0.0/', '10.244.0.0', '-t/24', '10.244.0.0/024']) {
      expect(parseCidr(text), text).toBeUndefined();
    }
  });

  it('takes an address inside the block for the block only when asked to', () => {
    const cidr = parseCidr('10.244.3.77/24', { allowHostBits: true });
    expect(cidr && formatCidr(cidr)).toBe('10.244.3.0/24');
    const everything = parseCidr('192.168.1.1/0', { allowHostBits: true });
    expect(everything && formatCidr(everything)).toBe('0.0.0.0/0');
    expect(parseCidr('10.244.3.77/33', { allowHostBits: true })).toBeUndefined();
  });

  it('knows the addresses of a block and writes one as `ip addr` takes it', () => {
    const cidr = parseCidr('10.244.1.0/24');
    if (!cidr) throw new Error('parse failed');
    expect(contains(cidr, parseIpv4('10.244.1.255') ?? 0)).toBe(true);
    expect(contains(cidr, parseIpv4('10.244.2.0') ?? 0)).toBe(false);
    expect(addressInCidr(parseIpv4('10.244.1.5') ?? 0, cidr)).toBe('10.244.1.5/24');
  });

  it('knows a node CIDR inside the cluster CIDR', () => {
    const cluster = parseCidr('10.244.0.0/16');
    const node = parseCidr('10.244.7.0/24');
    const outside = parseCidr('10.245.0.0/24');
    if (!cluster || !node || !outside) throw new Error('parse failed');
    expect(isWithin(node, cluster)).toBe(true);
    expect(isWithin(outside, cluster)).toBe(false);
    expect(isWithin(cluster, node)).toBe(false);
  });
});
