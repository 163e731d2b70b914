import { describe, expect, it } from 'vitest';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import {
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
} from './replica-sets.js';
import { deployment, replicaSet, template } from './testing/fixtures.js';

describe('equalIgnoreHash', () => {
  it('ignores the pod-template-hash label and empty maps', () => {
    const hashed = template();
    hashed.metadata = { labels: { app: 'web', [POD_TEMPLATE_HASH_LABEL]: 'abc' }, annotations: {} };
    expect(equalIgnoreHash(hashed, template())).toBe(true);
  });

  it('sees a changed image', () => {
    expect(equalIgnoreHash(template('busybox:latest'), template())).toBe(false);
  });
});

describe('findNewReplicaSet / findOldReplicaSets', () => {
  it('picks the oldest ReplicaSet with the Deployment template; every other one is old', () => {
    const d = deployment({ image: 'busybox:1.35' });
    const old = replicaSet({ name: 'old', replicas: 3, image: 'busybox:latest' });
    const current = replicaSet({ name: 'current', replicas: 1, created: '2026-01-02T00:00:00Z' });
    const duplicate = replicaSet({ name: 'duplicate', replicas: 0, created: '2026-01-03T00:00:00Z' });
    const all = [duplicate, old, current];
    expect(findNewReplicaSet(d, all)?.metadata?.name).toBe('current');
    expect(findOldReplicaSets(d, all).map((rs) => rs.metadata?.name)).toEqual(['duplicate', 'old']);
  });

  it('has no new ReplicaSet when no template matches', () => {
    const d = deployment({ image: 'busybox:2' });
    expect(findNewReplicaSet(d, [replicaSet({ name: 'old', replicas: 1 })])).toBeUndefined();
  });
});

describe('findActiveOrLatest', () => {
  it('answers the only active ReplicaSet, the newest when none is active, nothing mid-rollout', () => {
    const a = replicaSet({ name: 'a', replicas: 0, created: '2026-01-01T00:00:00Z' });
    const b = replicaSet({ name: 'b', replicas: 0, created: '2026-01-02T00:00:00Z' });
    const active = replicaSet({ name: 'c', replicas: 2 });
    expect(findActiveOrLatest(undefined, [a, b])?.metadata?.name).toBe('b');
    expect(findActiveOrLatest(a, [active, b])?.metadata?.name).toBe('c');
    expect(findActiveOrLatest(replicaSet({ name: 'n', replicas: 1 }), [active])).toBeUndefined();
  });
});

describe('isSaturated', () => {
  it('needs the size, the desired-replicas annotation and availability to match', () => {
    const d = deployment({ replicas: 3 });
    const rs = replicaSet({
      name: 'n',
      replicas: 3,
      annotations: { 'deployment.kubernetes.io/desired-replicas': '3' },
    });
    expect(isSaturated(d, rs)).toBe(true);
    expect(isSaturated(d, { ...rs, status: { replicas: 3, availableReplicas: 2 } })).toBe(false);
    expect(isSaturated(d, replicaSet({ name: 'n', replicas: 3 }))).toBe(false);
  });
});
