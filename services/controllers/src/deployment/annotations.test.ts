import { describe, expect, it } from 'vitest';
import {
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  maxRevision,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  setNewReplicaSetAnnotations,
} from './annotations.js';
import { deployment, replicaSet } from './testing/fixtures.js';

describe('setNewReplicaSetAnnotations', () => {
  it('numbers a new ReplicaSet and records the size it was made for', () => {
    const d = deployment({ replicas: 4, maxSurge: 1 });
    d.metadata = { ...d.metadata, annotations: { 'kubernetes.io/change-cause': 'v2', [REVISION_ANNOTATION]: '7' } };
    const rs = replicaSet({ name: 'web-new', replicas: 0 });
    expect(setNewReplicaSetAnnotations(d, rs, 3, false)).toBe(true);
    expect(rs.metadata?.annotations).toEqual({
      'kubernetes.io/change-cause': 'v2',
      [REVISION_ANNOTATION]: '3',
      [DESIRED_REPLICAS_ANNOTATION]: '4',
      [MAX_REPLICAS_ANNOTATION]: '5',
    });
  });

  it('moves the old number of a rolled-back-to ReplicaSet into revision-history', () => {
    const rs = replicaSet({ name: 'web-old', replicas: 0, revision: 1 });
    setNewReplicaSetAnnotations(deployment(), rs, 3, true);
    expect(rs.metadata?.annotations?.[REVISION_ANNOTATION]).toBe('3');
    expect(rs.metadata?.annotations?.[REVISION_HISTORY_ANNOTATION]).toBe('1');
    setNewReplicaSetAnnotations(deployment(), rs, 5, true);
    expect(rs.metadata?.annotations?.[REVISION_HISTORY_ANNOTATION]).toBe('1,3');
  });

  it('drops the oldest history entries past the length cap', () => {
    const rs = replicaSet({
      name: 'web-old',
      replicas: 0,
      revision: 4,
      annotations: { [REVISION_HISTORY_ANNOTATION]: '1,2,3' },
    });
    setNewReplicaSetAnnotations(deployment(), rs, 9, true, 4);
    expect(rs.metadata?.annotations?.[REVISION_HISTORY_ANNOTATION]).toBe('3,4');
  });

  it('changes nothing when the revision is already current', () => {
    const rs = replicaSet({ name: 'web', replicas: 3, revision: 2 });
    expect(setNewReplicaSetAnnotations(deployment(), rs, 2, true)).toBe(false);
  });
});

describe('maxRevision', () => {
  it('ignores missing and malformed revisions', () => {
    const sets = [
      replicaSet({ name: 'a', replicas: 0, revision: 2 }),
      replicaSet({ name: 'b', replicas: 0, annotations: { [REVISION_ANNOTATION]: 'x' } }),
      replicaSet({ name: 'c', replicas: 0 }),
    ];
    expect(maxRevision(sets)).toBe(2);
  });
});
