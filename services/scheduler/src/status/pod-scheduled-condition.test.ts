import { describe, expect, it } from 'vitest';
import { makePod } from '../testing/fakes.js';
import { podScheduledPatch } from './pod-scheduled-condition.js';

const now = new Date('2025-01-01T00:00:05.500Z');
const condition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'why' } as const;

describe('podScheduledPatch', () => {
  it('patches the one condition, with the transition time', () => {
    expect(podScheduledPatch(makePod('p'), condition, now)).toEqual({
      status: { conditions: [{ ...condition, lastProbeTime: null, lastTransitionTime: '2025-01-01T00:00:05Z' }] },
    });
  });

  it('writes nothing when the pod already says so', () => {
    const pod = {
      ...makePod('p'),
      status: { conditions: [{ ...condition, lastTransitionTime: '2024-01-01T00:00:00Z' }] },
    };
    expect(podScheduledPatch(pod, condition, now)).toBeUndefined();
  });

  it('keeps the transition time when only the message changes', () => {
    const pod = {
      ...makePod('p'),
      status: { conditions: [{ ...condition, message: 'old', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
    };
    expect(podScheduledPatch(pod, condition, now)).toMatchObject({
      status: { conditions: [{ message: 'why', lastTransitionTime: '2024-01-01T00:00:00Z' }] },
    });
  });
});
