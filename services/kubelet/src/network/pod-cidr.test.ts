import { describe, expect, it } from 'vitest';
import { PodCidr, podCidrOf } from './pod-cidr.js';

describe('PodCidr', () => {
  it('is unknown until set, and tells listeners each change once', () => {
    const podCidr = new PodCidr();
    const heard: string[] = [];
    podCidr.onChange((cidr) => heard.push(cidr));
    expect(podCidr.value).toBeUndefined();
    expect(podCidr.set('10.244.1.0/24')).toBe(true);
    expect(podCidr.set('10.244.1.0/24')).toBe(false);
    expect(podCidr.set('10.244.2.0/24')).toBe(true);
    expect(heard).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
    expect(podCidr.value).toBe('10.244.2.0/24');
  });

  it('never forgets a known CIDR for an empty one', () => {
    const podCidr = new PodCidr();
    podCidr.set('10.244.1.0/24');
    expect(podCidr.set(undefined)).toBe(false);
    expect(podCidr.set('  ')).toBe(false);
    expect(podCidr.value).toBe('10.244.1.0/24');
  });
});

describe('podCidrOf', () => {
  it("reads the Node's spec.podCIDR, else the first of spec.podCIDRs", () => {
    expect(podCidrOf({ spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'] } })).toBe('10.244.3.0/24');
    expect(podCidrOf({ spec: { podCIDRs: ['10.244.4.0/24'] } })).toBe('10.244.4.0/24');
    expect(podCidrOf({ spec: {} })).toBeUndefined();
    expect(podCidrOf({ spec: { podCIDR: '' } })).toBeUndefined();
    expect(podCidrOf(undefined)).toBeUndefined();
  });
});
