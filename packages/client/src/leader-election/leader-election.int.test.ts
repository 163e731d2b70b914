/**
 * Leader election against the real thing: the gRPC apiserver over the registries on
 * MemoryStorage, two candidates with their own connections and the real clock, and short
 * durations (lease 1.5 s, renew deadline 1 s, retry 0.3 s).
 */

import type { Lease, StatusError } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningGrpcServer } from '../../../../services/apiserver/src/grpc/grpc-server.js';
import { startGrpcServer } from '../../../../services/apiserver/src/grpc/grpc-server.js';
import { createRegistries, ensureSystemNamespaces } from '../../../../services/apiserver/src/registry/registries.js';
import { MemoryStorage } from '../../../../services/apiserver/src/storage/memory-storage.js';
import { ApiClient } from '../api-client.js';
import { LEASE_DURATION_MS_ANNOTATION } from './election-record.js';
import { LeaderElector } from './leader-elector.js';
import { LEASES } from './lease-lock.js';

const TOKEN = 'leader-election-token';
const LOCK = { namespace: 'kube-system', name: 'tkube-controller-manager' };
const LEASE_MS = 1500;
const RENEW_DEADLINE_MS = 1000;
const RETRY_MS = 300;
/** How long a test waits for a takeover it expects: ample, so that a loaded machine cannot trip it. */
const TAKEOVER_WAIT_MS = 10_000;
/** The lease of the hand-over test: far longer than a poll, so "before it ran out" is unmistakable. */
const LONG_LEASE_MS = 10_000;
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

interface Candidate {
  identity: string;
  elector: LeaderElector;
  stop: AbortController;
  done: Promise<void>;
  errors: StatusError[];
}

async function eventually<T>(check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('leader election over the gRPC apiserver', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Who leads right now, by the candidates' own account; more than one is a failure. */
  const leading = new Set<string>();
  const overlaps: string[] = [];

  async function cluster(): Promise<{ address: string; observer: ApiClient }> {
    leading.clear();
    overlaps.length = 0;
    const storage = new MemoryStorage();
    cleanups.push(() => storage.close());
    const registries = createRegistries(storage);
    await ensureSystemNamespaces(registries);
    const server: RunningGrpcServer = await startGrpcServer({
      registries,
      address: '127.0.0.1:0',
      token: TOKEN,
      shutdownGraceMs: 1000,
    });
    cleanups.push(() => server.stop());
    const observer = ApiClient.connect({ address: server.address, token: TOKEN });
    cleanups.push(() => observer.close());
    return { address: server.address, observer };
  }

  function candidate(address: string, identity: string, releaseOnCancel: boolean, leaseMs = LEASE_MS): Candidate {
    // Each candidate has its own connection, as it would on its own host.
    const client = ApiClient.connect({ address, token: TOKEN });
    const stop = new AbortController();
    const errors: StatusError[] = [];
    const elector = new LeaderElector({
      client,
      lock: LOCK,
      identity,
      leaseDurationMs: leaseMs,
      renewDeadlineMs: RENEW_DEADLINE_MS,
      retryPeriodMs: RETRY_MS,
      releaseOnCancel,
      onError: (e) => errors.push(e),
      callbacks: {
        onStartedLeading: () => {
          if (leading.size > 0) overlaps.push(`${identity} started while ${[...leading].join(',')} led`);
          leading.add(identity);
        },
        onStoppedLeading: () => leading.delete(identity),
      },
    });
    const done = elector.run(stop.signal);
    cleanups.push(async () => {
      stop.abort();
      await done;
      client.close();
    });
    return { identity, elector, stop, done, errors };
  }

  const readLease = (observer: ApiClient) => observer.get<Lease>({ ...LEASES, namespace: LOCK.namespace }, LOCK.name);

  it('elects exactly one leader, and the other takes over only once the stopped leader’s lease expired', async () => {
    const { address, observer } = await cluster();
    const a = candidate(address, 'a', false);
    const b = candidate(address, 'b', false);

    const first = await eventually(() => [a, b].find((c) => c.elector.isLeader()), 5000);
    const second = first === a ? b : a;
    // For a few lease durations, exactly one leads, and the Lease names it.
    for (let i = 0; i < 30; i++) {
      expect([a, b].filter((c) => c.elector.isLeader()).map((c) => c.identity)).toEqual([first.identity]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const held = await readLease(observer);
    expect(held.spec).toMatchObject({ holderIdentity: first.identity, leaseDurationSeconds: 2, leaseTransitions: 0 });
    expect(held.metadata?.annotations?.[LEASE_DURATION_MS_ANNOTATION]).toBe('1500');
    expect(held.spec?.acquireTime).toMatch(MICRO_TIME);
    expect(held.spec?.renewTime).toMatch(MICRO_TIME);
    expect(Date.parse(held.spec?.renewTime ?? '')).toBeGreaterThan(Date.parse(held.spec?.acquireTime ?? ''));

    // Stop the leader's renewals without releasing: the Lease must run out first.
    const stoppedAt = Date.now();
    first.stop.abort();
    await first.done;
    const abandoned = await readLease(observer);
    expect(abandoned.spec?.holderIdentity).toBe(first.identity);

    await eventually(() => (second.elector.isLeader() ? true : undefined), TAKEOVER_WAIT_MS);
    const handoverMs = Date.now() - stoppedAt;
    // Its last renewal came at most one retryPeriod before the stop.
    expect(handoverMs).toBeGreaterThanOrEqual(LEASE_MS - RETRY_MS);
    const taken = await readLease(observer);
    expect(taken.spec).toMatchObject({ holderIdentity: second.identity, leaseTransitions: 1 });
    // Never before the lease expired: the new term starts leaseDuration or more after the
    // last renewal the old leader wrote (both timestamps from this machine's clock).
    const gapMs = Date.parse(taken.spec?.acquireTime ?? '') - Date.parse(abandoned.spec?.renewTime ?? '');
    expect(gapMs).toBeGreaterThanOrEqual(LEASE_MS);
    expect(overlaps).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });

  it('with releaseOnCancel, hands over at the next poll instead of waiting out the lease', async () => {
    const { address, observer } = await cluster();
    const a = candidate(address, 'a', true, LONG_LEASE_MS);
    const b = candidate(address, 'b', true, LONG_LEASE_MS);
    const first = await eventually(() => [a, b].find((c) => c.elector.isLeader()), 5000);
    const second = first === a ? b : a;
    // Let the other candidate see the Lease a few times.
    await new Promise((r) => setTimeout(r, 3 * RETRY_MS));
    expect(second.elector.isLeader()).toBe(false);

    const stoppedAt = Date.now();
    first.stop.abort();
    await first.done;
    const released = await readLease(observer);
    if (!second.elector.isLeader()) {
      expect(released.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });
    }

    await eventually(() => (second.elector.isLeader() ? true : undefined), TAKEOVER_WAIT_MS);
    expect(Date.now() - stoppedAt).toBeLessThan(LONG_LEASE_MS);
    expect((await readLease(observer)).spec).toMatchObject({ holderIdentity: second.identity, leaseTransitions: 1 });
    expect(overlaps).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
});
