/**
 * The leader election record, client-go's LeaderElectionRecord, and its home in a
 * coordination.k8s.io/v1 Lease spec.
 *
 * leaseDurationSeconds is an integer on the wire, but tkube allows durations with a
 * fraction of a second (short leases in tests, fast fail-over). Such a duration is
 * written rounded up to whole seconds, so other clients wait at least as long as they
 * should, and exactly in the LEASE_DURATION_MS_ANNOTATION, which tkube's electors read
 * first. A whole number of seconds needs no annotation: the Lease then looks exactly
 * like one client-go wrote.
 */

import type { Lease } from '@tkube/api';

export const LEASE_DURATION_MS_ANNOTATION = 'leader-election.tkube.io/lease-duration-ms';

export interface LeaderElectionRecord {
  /** Who holds the lease; empty when nobody does (never acquired, or released). */
  holderIdentity: string;
  /** How long others wait, after they last saw the record change, before taking over. */
  leaseDurationMs: number;
  /** MicroTime of the current holder's acquisition; informational only. */
  acquireTime: string;
  /** MicroTime of the holder's last renewal; informational only (the holder's clock). */
  renewTime: string;
  /** How many times the lease changed holder. */
  leaseTransitions: number;
}

export function recordOfLease(lease: Lease): LeaderElectionRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity ?? '',
    leaseDurationMs: exactDurationMs(lease) ?? (spec.leaseDurationSeconds ?? 0) * 1000,
    acquireTime: spec.acquireTime ?? '',
    renewTime: spec.renewTime ?? '',
    leaseTransitions: spec.leaseTransitions ?? 0,
  };
}

/** The lease with its spec carrying `record`; other spec fields and the metadata are kept. */
export function leaseWithRecord(lease: Lease, record: LeaderElectionRecord): Lease {
  const annotations = { ...lease.metadata?.annotations };
  if (record.leaseDurationMs % 1000 === 0) delete annotations[LEASE_DURATION_MS_ANNOTATION];
  else annotations[LEASE_DURATION_MS_ANNOTATION] = String(record.leaseDurationMs);
  const metadata = { ...lease.metadata };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;
  return {
    ...lease,
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata,
    spec: {
      ...lease.spec,
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: Math.max(1, Math.ceil(record.leaseDurationMs / 1000)),
      ...(record.acquireTime ? { acquireTime: record.acquireTime } : {}),
      ...(record.renewTime ? { renewTime: record.renewTime } : {}),
      leaseTransitions: record.leaseTransitions,
    },
  };
}

/**
 * A string that changes exactly when the record does: how an elector tells a renewal
 * (or any other change) from the same record read again.
 */
export function recordFingerprint(record: LeaderElectionRecord): string {
  return JSON.stringify([
    record.holderIdentity,
    record.leaseDurationMs,
    record.acquireTime,
    record.renewTime,
    record.leaseTransitions,
  ]);
}

function exactDurationMs(lease: Lease): number | undefined {
  const text = lease.metadata?.annotations?.[LEASE_DURATION_MS_ANNOTATION];
  if (text === undefined || !/^[1-9][0-9]{0,9}$/.test(text)) return undefined;
  return Number(text);
}
