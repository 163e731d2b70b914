import { describe, expect, it } from 'vitest';
import {
  type DeploymentStatus,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  newCondition,
  PROGRESSING,
  REASONS,
  setCondition,
} from './conditions.js';
import { deployment } from './testing/fixtures.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

describe('setCondition', () => {
  it('keeps lastTransitionTime while the status stays the same, and ignores same-reason repeats', () => {
    const status: DeploymentStatus = {};
    setCondition(status, newCondition(PROGRESSING, 'True', REASONS.newReplicaSetCreated, 'created', t0));
    setCondition(status, newCondition(PROGRESSING, 'True', REASONS.replicaSetUpdated, 'moving', t1));
    expect(status.conditions).toEqual([
      expect.objectContaining({
        reason: 'ReplicaSetUpdated',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        lastUpdateTime: '2026-01-01T00:05:00Z',
      }),
    ]);
    setCondition(status, newCondition(PROGRESSING, 'True', REASONS.replicaSetUpdated, 'again', new Date()));
    expect(status.conditions?.[0]?.message).toBe('moving');
  });
});

describe('progress', () => {
  it('is complete only with every replica updated and available at the observed generation', () => {
    const d = deployment({ replicas: 3, generation: 2 });
    const done = { replicas: 3, updatedReplicas: 3, availableReplicas: 3, observedGeneration: 2 };
    expect(deploymentComplete(d, done)).toBe(true);
    expect(deploymentComplete(d, { ...done, observedGeneration: 1 })).toBe(false);
    expect(deploymentComplete(d, { ...done, replicas: 4 })).toBe(false);
  });

  it('counts more updated, fewer old, more ready or more available replicas as progress', () => {
    const d = deployment();
    d.status = { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 };
    expect(deploymentProgressing(d, { ...d.status })).toBe(false);
    expect(deploymentProgressing(d, { ...d.status, updatedReplicas: 2 })).toBe(true);
    expect(deploymentProgressing(d, { ...d.status, replicas: 3 })).toBe(true);
    expect(deploymentProgressing(d, { ...d.status, availableReplicas: 4 })).toBe(true);
  });

  it('times out progressDeadlineSeconds after the last recorded progress', () => {
    const d = deployment({ progressDeadlineSeconds: 60 });
    const status: DeploymentStatus = {
      conditions: [newCondition(PROGRESSING, 'True', REASONS.replicaSetUpdated, '', t0)],
    };
    expect(deploymentTimedOut(d, status, new Date(t0.getTime() + 59_000))).toBe(false);
    expect(deploymentTimedOut(d, status, new Date(t0.getTime() + 61_000))).toBe(true);
    const finished: DeploymentStatus = {
      conditions: [newCondition(PROGRESSING, 'True', REASONS.newReplicaSetAvailable, '', t0)],
    };
    expect(deploymentTimedOut(d, finished, t1)).toBe(false);
  });
});
