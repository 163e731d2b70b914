import { describe, expect, it } from 'vitest';
import { IpPool } from './ip-pool.js';

describe('IpPool', () => {
  it('hands out host addresses of the CIDR, skipping the network address and the gateway', () => {
    const pool = new IpPool('10.88.0.0/16');
    expect(pool.allocate()).toBe('10.88.0.2');
    expect(pool.allocate()).toBe('10.88.0.3');
    expect(pool.capacity).toBe(65_533);
  });

  it('normalizes a CIDR given with host bits set', () => {
    expect(new IpPool('10.244.3.77/24').cidr).toBe('10.244.3.0/24');
  });

  it('uses fresh addresses before reusing released ones, then reuses the oldest released first', () => {
    const pool = new IpPool('192.168.7.0/29'); // hosts .2 to .6
    const given = [pool.allocate(), pool.allocate(), pool.allocate()];
    expect(given).toEqual(['192.168.7.2', '192.168.7.3', '192.168.7.4']);
    pool.release('192.168.7.3');
    pool.release('192.168.7.2');
    expect(pool.allocate()).toBe('192.168.7.5');
    expect(pool.allocate()).toBe('192.168.7.6');
    expect(pool.allocate()).toBe('192.168.7.3');
    expect(pool.allocate()).toBe('192.168.7.2');
  });

  it('never gives the same address twice at once and fails when exhausted', () => {
    const pool = new IpPool('10.0.0.0/29');
    const seen = new Set<string>();
    for (let i = 0; i < pool.capacity; i++) seen.add(pool.allocate());
    expect(seen.size).toBe(5);
    expect(seen.has('10.0.0.7')).toBe(false);
    expect(() => pool.allocate()).toThrow(/no free pod IP left in 10.0.0.0\/29/);
  });

  it('ignores a double release, so an address is not queued twice', () => {
    const pool = new IpPool('10.0.0.0/29');
    for (let i = 0; i < 5; i++) pool.allocate();
    pool.release('10.0.0.4');
    pool.release('10.0.0.4');
    pool.release('10.9.9.9');
    expect(pool.allocate()).toBe('10.0.0.4');
    expect(() => pool.allocate()).toThrow();
  });

  it('rejects what is not an IPv4 CIDR', () => {
    expect(() => new IpPool('10.88.0.0')).toThrow(/invalid pod CIDR/);
    expect(() => new IpPool('10.300.0.0/16')).toThrow(/invalid pod CIDR/);
    expect(() => new IpPool('fd00::/64')).toThrow(/invalid pod CIDR/);
  });
});
