import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { podsToDelete } from './pod-ranking.js';

function pod(
  name: string,
  fields: { node?: string; phase?: string; ready?: boolean; restarts?: number; created?: string },
): Pod {
  return {
    metadata: { name, creationTimestamp: fields.created ?? '2026-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c' }], ...(fields.node ? { nodeName: fields.node } : {}) },
    status: {
      phase: fields.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: fields.ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: fields.restarts ?? 0 }],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata?.name);

describe('podsToDelete', () => {
  it('ranks unassigned, then pending, then unknown, then not ready, then restarts, then newest', () => {
    const pods = [
      pod('ready-old', { node: 'n', ready: true, created: '2026-01-01T00:00:00Z' }),
      pod('ready-new', { node: 'n', ready: true, created: '2026-01-02T00:00:00Z' }),
      pod('unready-restarted', { node: 'n', restarts: 5 }),
      pod('unready', { node: 'n' }),
      pod('unknown', { node: 'n', phase: 'Unknown' }),
      pod('pending', { node: 'n', phase: 'Pending' }),
      pod('unassigned', { phase: 'Pending' }),
    ];
    expect(names(podsToDelete(pods, 7))).toEqual([
      'unassigned',
      'pending',
      'unknown',
      'unready-restarted',
      'unready',
      'ready-new',
      'ready-old',
    ]);
    expect(names(podsToDelete(pods, 2))).toEqual(['unassigned', 'pending']);
  });
});
