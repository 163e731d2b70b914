/**
 * Leader election on a coordination.k8s.io/v1 Lease, the algorithm of client-go's
 * tools/leaderelection.
 *
 * Candidates poll the Lease. One that finds it absent creates it; one that finds it
 * released (no holder) or expired writes itself in as holder. Expiry is judged on the
 * local clock only: a Lease counts as expired once leaseDuration has passed since this
 * elector last saw its record change. The timestamps in the Lease come from the holder's
 * clock and are never compared with ours, so clock skew between hosts does not matter
 * (a difference in clock *rate* does; leaseDuration/renewDeadline is the tolerated ratio).
 * Every write is a compare-and-set on the resourceVersion last seen: when two candidates
 * race, the apiserver answers one of them 409 Conflict, and that one lost.
 *
 * The leader renews every retryPeriod. When no renewal succeeds for renewDeadline (which
 * must be shorter than leaseDuration, so the leader gives up before anyone else may take
 * over), or when a renewal finds someone else holding the Lease, leadership ends: the
 * signal given to onStartedLeading aborts and onStoppedLeading is called.
 *
 * This is not fencing: a leader that is paused (GC, a stopped VM) longer than the lease
 * can briefly act alongside its successor. Guarded work must tolerate that or use its own
 * compare-and-set writes.
 */

import { StatusError, toStatusError } from '@tkube/api';
import type { Clock } from '../clock.js';
import { realClock } from '../clock.js';
import type { LeaderElectionRecord } from './election-record.js';
import { recordFingerprint } from './election-record.js';
import type { LeaseClient, LockName } from './lease-lock.js';
import { LeaseLock } from './lease-lock.js';
import { formatMicroTime } from './micro-time.js';
import { ABORTED, settleBefore, settleUnlessAborted, sleep, TIMED_OUT } from './timing.js';

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
/** Candidates wait retryPeriod plus up to this fraction more, so they do not poll in step. */
export const JITTER_FACTOR = 1.2;
/** client-go writes this duration when it releases a Lease. */
const RELEASED_LEASE_DURATION_MS = 1_000;

export interface LeaderCallbacks {
  /**
   * Called once leadership is acquired. `signal` aborts when leadership ends; the work must
   * stop then. A returned promise that rejects before that ends leadership, and run()
   * rejects with its error; one that resolves changes nothing (the elector keeps leading).
   */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called once leadership ends, after the work's signal aborted. Not called if never leading. */
  onStoppedLeading(): void;
  /** Called when a different holder is observed, this elector included; not for "nobody". */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  client: LeaseClient;
  lock: LockName;
  /** Unique among the candidates (for example the host name plus a random suffix). */
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /**
   * On stop, after the work's promise settles, clear holderIdentity so that another
   * candidate takes over at its next poll instead of waiting out the lease. Only safe when
   * the work really has stopped by then.
   */
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  /** Failures talking to the apiserver; the election keeps going (409 races are not reported). */
  onError?: (error: StatusError) => void;
  /** Measures lease expiry and paces the loops; tests pass a FakeClock. */
  clock?: Clock;
  /** Source of the acquireTime/renewTime written to the Lease (informational only). */
  wallClock?: () => Date;
  /** Returns a number in [0, 1) for the jitter; injectable for tests. */
  random?: () => number;
}

type AttemptOutcome = 'succeeded' | 'held-by-other' | 'failed';

export class LeaderElector {
  private readonly lock: LeaseLock;
  private readonly identity: string;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly releaseOnCancel: boolean;
  private readonly callbacks: LeaderCallbacks;
  private readonly onError: ((error: StatusError) => void) | undefined;
  private readonly clock: Clock;
  private readonly wallClock: () => Date;
  private readonly random: () => number;

  /** The record as last read or written, and when (local clock) it last changed. */
  private observed: LeaderElectionRecord | undefined;
  private observedFingerprint = '';
  private observedAt = 0;
  private reportedLeader = '';
  private leading = false;
  private started = false;
  /** An attempt whose result was not waited for (timed out or abandoned), still running. */
  private inFlight: Promise<AttemptOutcome> | undefined;

  constructor(config: LeaderElectionConfig) {
    this.identity = config.identity;
    this.leaseDurationMs = config.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = config.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = config.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    validate(config, this.leaseDurationMs, this.renewDeadlineMs, this.retryPeriodMs);
    this.lock = new LeaseLock(config.client, config.lock);
    this.releaseOnCancel = config.releaseOnCancel ?? false;
    this.callbacks = config.callbacks;
    this.onError = config.onError;
    this.clock = config.clock ?? realClock;
    this.wallClock = config.wallClock ?? (() => new Date());
    this.random = config.random ?? Math.random;
  }

  /** True from acquiring until leadership ends (the work's signal aborts at the same moment). */
  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last observed, '' when none; informational (it may already be stale). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /**
   * Campaigns until leadership is acquired, then leads until `signal` aborts or leadership
   * is lost, and resolves once it is over (released, with releaseOnCancel). An elector runs
   * once: to campaign again, create a new one.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw StatusError.badRequest('a LeaderElector runs once; create a new one to campaign again');
    this.started = true;
    if (!(await this.acquire(signal))) return;
    if (signal.aborted) {
      // Acquired in the same moment as told to stop: never start the work.
      if (this.releaseOnCancel) await this.release();
      return;
    }

    const term = new AbortController();
    const endTerm = () => term.abort();
    signal.addEventListener('abort', endTerm, { once: true });
    this.leading = true;
    let failure: { error: unknown } | undefined;
    const work = (async () => {
      try {
        await this.callbacks.onStartedLeading(term.signal);
      } catch (error) {
        // After the term ended the work is only winding down (an AbortError, typically).
        if (term.signal.aborted) return;
        failure = { error };
        term.abort();
      }
    })();

    await this.renewWhileLeading(term.signal);

    this.leading = false;
    signal.removeEventListener('abort', endTerm);
    term.abort();
    if (this.releaseOnCancel) {
      await work;
      await this.release();
    }
    this.callbacks.onStoppedLeading();
    if (failure) throw failure.error;
  }

  /** Tries right away, then every jittered retryPeriod, until it leads or `signal` aborts. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      // An attempt cut short by the abort goes on; if it takes the Lease, the Lease expires.
      const outcome = await settleUnlessAborted(this.attempt(), signal);
      if (outcome === ABORTED) return false;
      this.reportNewLeader();
      if (outcome === 'succeeded') return true;
      await sleep(this.clock, this.retryPeriodMs * (1 + this.random() * JITTER_FACTOR), signal);
    }
  }

  /**
   * Renews every retryPeriod. A renewal may retry (every retryPeriod) for up to
   * renewDeadline; past that, or when someone else holds the Lease, leadership is lost.
   * An aborted `term` stops the loop between attempts, never during one, so that a
   * release afterwards writes over the Lease as it really is.
   */
  private async renewWhileLeading(term: AbortSignal): Promise<void> {
    for (;;) {
      await sleep(this.clock, this.retryPeriodMs, term);
      if (term.aborted) return;
      const deadline = this.clock.now() + this.renewDeadlineMs;
      for (;;) {
        const outcome = await settleBefore(this.clock, this.attempt(), deadline);
        this.reportNewLeader();
        if (outcome === 'succeeded') break;
        if (outcome === TIMED_OUT || outcome === 'held-by-other') return;
        const remaining = deadline - this.clock.now();
        if (remaining <= 0) return;
        await sleep(this.clock, Math.min(this.retryPeriodMs, remaining), term);
        if (term.aborted) return;
        if (this.clock.now() >= deadline) return;
      }
    }
  }

  /** One tryAcquireOrRenew, remembered as in flight until it settles. */
  private attempt(): Promise<AttemptOutcome> {
    const attempt = this.tryAcquireOrRenew();
    this.inFlight = attempt;
    const clear = () => {
      if (this.inFlight === attempt) this.inFlight = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  private async tryAcquireOrRenew(): Promise<AttemptOutcome> {
    const nowMs = this.clock.now();
    const nowTime = formatMicroTime(this.wallClock());
    const desired: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationMs: this.leaseDurationMs,
      acquireTime: nowTime,
      renewTime: nowTime,
      leaseTransitions: 0,
    };

    // 1. The leader's fast path: write over the Lease as last seen, without reading it.
    const held = this.observed;
    if (held && this.holdsObserved() && this.isLeaseValid(nowMs)) {
      const renewal = { ...desired, acquireTime: held.acquireTime, leaseTransitions: held.leaseTransitions };
      if (await this.write(() => this.lock.update(renewal), renewal)) return 'succeeded';
      // The Lease changed under us (or the write failed): read it and decide afresh.
    }

    // 2. Read the Lease, or create it when there is none.
    let current: LeaderElectionRecord;
    try {
      current = await this.lock.get();
    } catch (err) {
      const error = toStatusError(err);
      if (error.reason !== 'NotFound') {
        this.report(error);
        return 'failed';
      }
      return (await this.write(() => this.lock.create(desired), desired)) ? 'succeeded' : 'failed';
    }

    // 3. Note a change, restarting its expiry; leave a valid Lease to its holder.
    if (recordFingerprint(current) !== this.observedFingerprint) this.observe(current);
    if (current.holderIdentity !== '' && this.isLeaseValid(nowMs) && !this.holdsObserved()) return 'held-by-other';

    // 4. Renew our own Lease, or take over a released or expired one.
    const record: LeaderElectionRecord = this.holdsObserved()
      ? { ...desired, acquireTime: current.acquireTime, leaseTransitions: current.leaseTransitions }
      : { ...desired, leaseTransitions: current.leaseTransitions + 1 };
    return (await this.write(() => this.lock.update(record), record)) ? 'succeeded' : 'failed';
  }

  /** Clears holderIdentity so that candidates take over at once instead of waiting it out. */
  private async release(): Promise<void> {
    const held = this.observed;
    // With a write still in flight the version we know may be stale; let the Lease expire.
    if (this.inFlight || !held || !this.holdsObserved()) return;
    const now = formatMicroTime(this.wallClock());
    const released: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationMs: RELEASED_LEASE_DURATION_MS,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: held.leaseTransitions,
    };
    await this.write(() => this.lock.update(released), released);
    this.reportNewLeader();
  }

  /** Runs a write of `record`; on success the record is what we observe. */
  private async write(run: () => Promise<void>, record: LeaderElectionRecord): Promise<boolean> {
    try {
      await run();
    } catch (err) {
      const error = toStatusError(err);
      // Losing a race to another candidate is how elections go, not a failure.
      if (error.code !== 409) this.report(error);
      return false;
    }
    this.observe(record);
    return true;
  }

  private observe(record: LeaderElectionRecord): void {
    this.observed = record;
    this.observedFingerprint = recordFingerprint(record);
    this.observedAt = this.clock.now();
  }

  private holdsObserved(): boolean {
    return this.observed?.holderIdentity === this.identity;
  }

  private isLeaseValid(nowMs: number): boolean {
    return this.observedAt + (this.observed?.leaseDurationMs ?? 0) > nowMs;
  }

  private reportNewLeader(): void {
    const holder = this.observed?.holderIdentity ?? '';
    if (holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    if (holder !== '') this.callbacks.onNewLeader?.(holder);
  }

  private report(error: StatusError): void {
    this.onError?.(error);
  }
}

/** client-go's NewLeaderElector checks: the leader must give up before others may take over. */
function validate(
  config: LeaderElectionConfig,
  leaseDurationMs: number,
  renewDeadlineMs: number,
  retryPeriodMs: number,
) {
  const problems: string[] = [];
  if (!config.identity) problems.push('the identity must not be empty');
  if (!config.lock.namespace || !config.lock.name) problems.push('the lock must name a namespace and a name');
  if (!(leaseDurationMs > 0)) problems.push('leaseDurationMs must be greater than zero');
  if (!(renewDeadlineMs > 0)) problems.push('renewDeadlineMs must be greater than zero');
  if (!(retryPeriodMs > 0)) problems.push('retryPeriodMs must be greater than zero');
  if (!(leaseDurationMs > renewDeadlineMs)) problems.push('leaseDurationMs must be greater than renewDeadlineMs');
  if (!(renewDeadlineMs > JITTER_FACTOR * retryPeriodMs)) {
    problems.push(`renewDeadlineMs must be greater than retryPeriodMs*${JITTER_FACTOR}`);
  }
  if (!Number.isInteger(leaseDurationMs)) problems.push('leaseDurationMs must be a whole number of milliseconds');
  if (problems.length > 0) throw StatusError.badRequest(`invalid leader election config: ${problems.join('; ')}`);
}
