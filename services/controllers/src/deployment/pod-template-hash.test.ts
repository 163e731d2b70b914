import type { PodTemplateSpec } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { canonicalJson, computeHash, safeEncodeString } from './pod-template-hash.js';

const template: PodTemplateSpec = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'busybox:1.35' }] },
};

describe('computeHash', () => {
  it('is stable for the same template, whatever the key order', () => {
    const reordered: PodTemplateSpec = {
      spec: { containers: [{ image: 'busybox:1.35', name: 'web' }] },
      metadata: { labels: { app: 'web' } },
    };
    expect(computeHash(template)).toBe(computeHash(reordered));
  });

  it('changes with the template and with collisionCount', () => {
    const other: PodTemplateSpec = { ...template, spec: { containers: [{ name: 'web', image: 'busybox:latest' }] } };
    expect(computeHash(other)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template));
    expect(computeHash(template, 1)).not.toBe(computeHash(template, 2));
  });

  it('uses only the safe alphabet, so it is a valid label value', () => {
    expect(computeHash(template)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

describe('safeEncodeString', () => {
  it('maps characters the way kube does', () => {
    // '0' is code 48: 48 % 27 = 21 -> '4'; '9' is 57: 57 % 27 = 3 -> 'f'.
    expect(safeEncodeString('09')).toBe('4f');
  });
});

describe('canonicalJson', () => {
  it('sorts keys and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [2] } })).toBe('{"a":{"c":[2]},"b":1}');
  });
});
