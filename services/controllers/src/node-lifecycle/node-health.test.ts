import type { Node, Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { evictionDelaySeconds } from './eviction.js';
import { allUnknown, unknownConditions } from './node-conditions.js';
import { reconcileTaints, type Taint } from './taints.js';

const now = new Date('2026-01-01T00:00:00Z');

function node(ready: string, taints: Taint[] = []): Node {
  return {
    metadata: { name: 'n1' },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready, reason: 'KubeletReady' }] },
  };
}

describe('unknownConditions', () => {
  it('turns every condition Unknown with the kube reason and adds the missing standard ones', () => {
    const conditions = unknownConditions(node('True'), now);
    expect(conditions[0]).toMatchObject({
      type: 'Ready',
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
      lastTransitionTime: '2026-01-01T00:00:00.000Z',
    });
    expect(conditions.map((c) => c.type)).toEqual(['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure']);
    expect(allUnknown({ status: { conditions } })).toBe(true);
    expect(allUnknown(node('True'))).toBe(false);
  });
});

describe('reconcileTaints', () => {
  it('adds the unreachable taints when Ready is Unknown, the not-ready ones when False, none when True', () => {
    expect(reconcileTaints(node('Unknown'), now)).toEqual([
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:00.000Z' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(reconcileTaints(node('False'), now).map((t) => t.key)).toEqual([
      'node.kubernetes.io/not-ready',
      'node.kubernetes.io/not-ready',
    ]);
    const foreign: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
    const tainted = reconcileTaints(node('Unknown', [foreign]), now);
    expect(reconcileTaints(node('True', tainted), now)).toEqual([foreign]);
  });

  it('keeps existing taints (and their timeAdded) when they are already right', () => {
    const first = reconcileTaints(node('Unknown'), now);
    expect(reconcileTaints(node('Unknown', first), new Date('2026-01-02T00:00:00Z'))).toEqual(first);
  });
});

describe('evictionDelaySeconds', () => {
  const unreachable: Taint[] = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }];
  const pod = (tolerations: NonNullable<Pod['spec']>['tolerations']): Pod => ({
    spec: { containers: [], tolerations },
  });

  it('uses the default for pods without a matching toleration', () => {
    expect(evictionDelaySeconds(pod([]), unreachable, 300)).toBe(300);
  });

  it('uses tolerationSeconds, or never when tolerated forever', () => {
    const timed = pod([
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 },
    ]);
    expect(evictionDelaySeconds(timed, unreachable, 300)).toBe(30);
    expect(evictionDelaySeconds(pod([{ operator: 'Exists' }]), unreachable, 300)).toBeUndefined();
  });

  it('evicts at once for an untolerated foreign NoExecute taint, and ignores NoSchedule', () => {
    expect(evictionDelaySeconds(pod([]), [{ key: 'maintenance', effect: 'NoExecute' }], 300)).toBe(0);
    expect(evictionDelaySeconds(pod([]), [{ key: 'maintenance', effect: 'NoSchedule' }], 300)).toBeUndefined();
  });
});
