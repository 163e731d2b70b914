import { describe, expect, it } from 'vitest';
import { CidrAllocator, parseIpv4Cidr } from './cidr-allocator.js';

describe('CidrAllocator', () => {
  it('hands out /24s of 10.244.0.0/16 in order, skipping those in use', () => {
    const allocator = new CidrAllocator();
    allocator.occupy('10.244.1.0/24');
    expect(allocator.allocateNext()).toBe('10.244.0.0/24');
    expect(allocator.allocateNext()).toBe('10.244.2.0/24');
  });

  it('reuses a released subnet', () => {
    const allocator = new CidrAllocator();
    allocator.allocateNext();
    allocator.allocateNext();
    allocator.release('10.244.0.0/24');
    expect(allocator.allocateNext()).toBe('10.244.0.0/24');
  });

  it('ignores subnets outside its range and fails once the range is full', () => {
    const allocator = new CidrAllocator('10.0.0.0/23', 24);
    allocator.occupy('192.168.0.0/24');
    expect(allocator.capacity).toBe(2);
    expect(allocator.allocateNext()).toBe('10.0.0.0/24');
    expect(allocator.allocateNext()).toBe('10.0.1.0/24');
    expect(() => allocator.allocateNext()).toThrow(/no free \/24/);
  });

  it('rejects malformed CIDRs', () => {
    expect(() => parseIpv4Cidr('10.244.0.0')).toThrow(/invalid CIDR/);
    expect(() => parseIpv4Cidr('10.300.0.0/16')).toThrow(/invalid CIDR/);
  });
});
