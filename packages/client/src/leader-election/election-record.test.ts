import type { Lease } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import type { LeaderElectionRecord } from './election-record.js';
import { LEASE_DURATION_MS_ANNOTATION, leaseWithRecord, recordFingerprint, recordOfLease } from './election-record.js';

const record: LeaderElectionRecord = {
  holderIdentity: 'node-a',
  leaseDurationMs: 15_000,
  acquireTime: '2024-01-01T00:00:00.000000Z',
  renewTime: '2024-01-01T00:00:10.000000Z',
  leaseTransitions: 3,
};

const bare: Lease = { metadata: { name: 'lock', namespace: 'kube-system', resourceVersion: '7' } };

describe('the election record in a Lease', () => {
  it('writes the Lease spec fields as client-go does, keeping the metadata', () => {
    const lease = leaseWithRecord(bare, record);
    expect(lease).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'lock', namespace: 'kube-system', resourceVersion: '7' },
      spec: {
        holderIdentity: 'node-a',
        leaseDurationSeconds: 15,
        acquireTime: '2024-01-01T00:00:00.000000Z',
        renewTime: '2024-01-01T00:00:10.000000Z',
        leaseTransitions: 3,
      },
    });
    expect(recordOfLease(lease)).toEqual(record);
  });

  it('rounds a fractional duration up on the wire and keeps it exact in an annotation', () => {
    const lease = leaseWithRecord(bare, { ...record, leaseDurationMs: 1500 });
    expect(lease.spec?.leaseDurationSeconds).toBe(2);
    expect(lease.metadata?.annotations?.[LEASE_DURATION_MS_ANNOTATION]).toBe('1500');
    expect(recordOfLease(lease).leaseDurationMs).toBe(1500);
    // Back to whole seconds: the annotation goes away.
    expect(leaseWithRecord(lease, record).metadata?.annotations).toBeUndefined();
  });

  it('reads a Lease written by another client, ignoring a malformed annotation', () => {
    const lease: Lease = {
      metadata: { name: 'lock', annotations: { [LEASE_DURATION_MS_ANNOTATION]: 'soon' } },
      spec: { holderIdentity: 'other', leaseDurationSeconds: 40 },
    };
    expect(recordOfLease(lease)).toEqual({
      holderIdentity: 'other',
      leaseDurationMs: 40_000,
      acquireTime: '',
      renewTime: '',
      leaseTransitions: 0,
    });
    expect(recordOfLease({ metadata: { name: 'empty' } }).holderIdentity).toBe('');
  });

  it('fingerprints change with every field and only then', () => {
    const same = recordFingerprint({ ...record });
    expect(recordFingerprint(record)).toBe(same);
    expect(recordFingerprint({ ...record, renewTime: '2024-01-01T00:00:12.000000Z' })).not.toBe(same);
    expect(recordFingerprint({ ...record, holderIdentity: 'node-b' })).not.toBe(same);
    expect(recordFingerprint({ ...record, leaseTransitions: 4 })).not.toBe(same);
  });
});
