import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { admitPod, podRequests } from './admission.js';

const withRequests = (cpu?: string, memory?: string, init?: { cpu?: string; memory?: string }): Pod => ({
  spec: {
    containers: [{ name: 'a', resources: { requests: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) } } }],
    initContainers: init ? [{ name: 'i', resources: { requests: init } }] : [],
  },
});

describe('admitPod', () => {
  const capacity = { pods: 2, cpuMilli: 1000, memoryBytes: 1024 * 1024 * 1024 };

  it('admits what fits and rejects with kube reasons and messages', () => {
    expect(admitPod(withRequests('500m'), [withRequests('400m')], capacity)).toEqual({ admit: true });
    expect(admitPod(withRequests('700m'), [withRequests('400m')], capacity)).toEqual({
      admit: false,
      reason: 'OutOfcpu',
      message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 700, used: 400, capacity: 1000",
    });
    expect(admitPod(withRequests(undefined, '2Gi'), [], capacity)).toMatchObject({
      admit: false,
      reason: 'OutOfmemory',
    });
    expect(admitPod(withRequests(), [withRequests(), withRequests()], capacity)).toEqual({
      admit: false,
      reason: 'OutOfpods',
      message: "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2",
    });
  });

  it('counts the larger of the app containers and the largest init container', () => {
    expect(podRequests(withRequests('100m', '1Mi', { cpu: '300m' }))).toEqual({ cpu: 300, memory: 1024 * 1024 });
  });
});
