import { describe, expect, it } from 'vitest';
import { MAX_REPLICAS_ANNOTATION } from './annotations.js';
import { proportionFor } from './proportion.js';
import { deployment, replicaSet } from './testing/fixtures.js';

describe('proportionFor', () => {
  const sizedFor = (max: number) => ({ [MAX_REPLICAS_ANNOTATION]: String(max) });

  it('grows a ReplicaSet by its share of the new maximum', () => {
    // Sized for 10+3=13 pods, now 20+5=25: a ReplicaSet of 6 should hold round(6*25/13)=12.
    const d = deployment({ replicas: 20, maxSurge: '25%' });
    const rs = replicaSet({ name: 'a', replicas: 6, annotations: sizedFor(13) });
    expect(proportionFor(rs, d, 12, 0)).toBe(6);
    expect(proportionFor(rs, d, 12, 10)).toBe(2);
  });

  it('shrinks in proportion, never past what is left to remove', () => {
    const d = deployment({ replicas: 5, maxSurge: 0, maxUnavailable: 1 });
    const rs = replicaSet({ name: 'a', replicas: 6, annotations: sizedFor(10) });
    expect(proportionFor(rs, d, -5, 0)).toBe(-3);
    expect(proportionFor(rs, d, -5, -4)).toBe(-1);
  });

  it('gives nothing to an empty ReplicaSet and takes everything when scaled to zero', () => {
    expect(proportionFor(replicaSet({ name: 'a', replicas: 0 }), deployment({ replicas: 5 }), 3, 0)).toBe(0);
    expect(proportionFor(replicaSet({ name: 'a', replicas: 4 }), deployment({ replicas: 0 }), -4, 0)).toBe(-4);
  });
});
