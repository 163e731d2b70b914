import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, newReplicaSetReplicas, resolveFenceposts, scaledValue } from './rolling-math.js';
import { deployment, replicaSet } from './testing/fixtures.js';

describe('resolveFenceposts (kube TestResolveFenceposts)', () => {
  it.each([
    { surge: '39%', unavailable: '39%', desired: 10, expected: { surge: 4, unavailable: 3 } },
    { surge: undefined, unavailable: '39%', desired: 10, expected: { surge: 0, unavailable: 3 } },
    { surge: '39%', unavailable: undefined, desired: 10, expected: { surge: 4, unavailable: 0 } },
    { surge: undefined, unavailable: undefined, desired: 10, expected: { surge: 0, unavailable: 1 } },
    { surge: 0, unavailable: 0, desired: 0, expected: { surge: 0, unavailable: 1 } },
    { surge: '25%', unavailable: '25%', desired: 3, expected: { surge: 1, unavailable: 0 } },
  ])('surge $surge, unavailable $unavailable of $desired', ({ surge, unavailable, desired, expected }) => {
    expect(resolveFenceposts(surge, unavailable, desired)).toEqual(expected);
  });

  it.each([
    ['oops', '39%'],
    ['55%', 'urg'],
    ['0', '0'],
  ])('rejects %s / %s: a string must be a percentage', (surge, unavailable) => {
    expect(() => resolveFenceposts(surge, unavailable, 10)).toThrow(/not a percentage/);
  });
});

describe('scaledValue', () => {
  it('rounds percentages up or down as asked', () => {
    expect(scaledValue('25%', 10, true)).toBe(3);
    expect(scaledValue('25%', 10, false)).toBe(2);
    expect(scaledValue(7, 10, false)).toBe(7);
  });
});

describe('maxUnavailable (kube TestMaxUnavailable)', () => {
  it.each([
    { replicas: 10, unavailable: 5, expected: 5 },
    { replicas: 10, unavailable: 10, expected: 10 },
    { replicas: 5, unavailable: 10, expected: 5 },
    { replicas: 0, unavailable: 10, expected: 0 },
    { replicas: 10, unavailable: '50%', expected: 5 },
    { replicas: 10, unavailable: '100%', expected: 10 },
    { replicas: 5, unavailable: '100%', expected: 5 },
  ])('$unavailable of $replicas replicas is $expected', ({ replicas, unavailable, expected }) => {
    expect(maxUnavailable(deployment({ replicas, maxSurge: 1, maxUnavailable: unavailable }))).toBe(expected);
  });

  it('is 0 for Recreate, and so is the surge', () => {
    const d = deployment({ strategy: 'Recreate' });
    expect(maxUnavailable(d)).toBe(0);
    expect(maxSurge(d)).toBe(0);
  });
});

describe('newReplicaSetReplicas (kube TestNewRSNewReplicas)', () => {
  const others = [replicaSet({ name: 'old', replicas: 5 })];
  it.each([
    { name: 'cannot scale up past the surge', replicas: 1, newReplicas: 5, surge: 1, expected: 5 },
    { name: 'scales up to spec.replicas', replicas: 6, newReplicas: 2, surge: 10, expected: 6 },
  ])('$name', ({ replicas, newReplicas, surge, expected }) => {
    const d = deployment({ replicas, maxSurge: surge, maxUnavailable: 1 });
    const newRS = replicaSet({ name: 'new', replicas: newReplicas });
    expect(newReplicaSetReplicas(d, others, newRS)).toBe(expected);
  });

  it('Recreate goes straight to spec.replicas', () => {
    const d = deployment({ replicas: 3, strategy: 'Recreate' });
    expect(newReplicaSetReplicas(d, others, replicaSet({ name: 'new', replicas: 1 }))).toBe(3);
  });
});
