import type { KubeObject, Lease } from '@tkube/api';
import { StatusError } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../clock.js';
import type { ResourceTarget } from '../types.js';
import type { LeaderElectionConfig } from './leader-elector.js';
import { LeaderElector } from './leader-elector.js';
import type { LeaseClient } from './lease-lock.js';
import { formatMicroTime } from './micro-time.js';

const LOCK = { namespace: 'kube-system', name: 'kube-scheduler' };
const LEASE_MS = 15_000;
const RENEW_DEADLINE_MS = 10_000;
const RETRY_MS = 2_000;

/** The apiserver's Lease collection, with compare-and-set, and failures on demand. */
class FakeLeases implements LeaseClient {
  private readonly leases = new Map<string, Lease>();
  private revision = 0;
  /** While set, every call fails with it. */
  failure: StatusError | undefined;
  /** While set, calls never answer (a hung apiserver). */
  hang = false;
  writes = 0;

  async get<T extends KubeObject = KubeObject>(target: ResourceTarget, name: string): Promise<T> {
    await this.arrive();
    const lease = this.leases.get(keyOf(target.namespace, name));
    if (!lease) throw StatusError.notFound({ group: 'coordination.k8s.io', resource: 'leases', name });
    return structuredClone(lease) as unknown as T;
  }

  async create<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    await this.arrive();
    const name = object.metadata?.name ?? '';
    const key = keyOf(target.namespace, name);
    if (this.leases.has(key)) {
      throw StatusError.alreadyExists({ group: 'coordination.k8s.io', resource: 'leases', name });
    }
    return this.store(key, object as unknown as Lease) as unknown as T;
  }

  async update<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T> {
    await this.arrive();
    const name = object.metadata?.name ?? '';
    const key = keyOf(target.namespace, name);
    const existing = this.leases.get(key);
    if (!existing) throw StatusError.notFound({ group: 'coordination.k8s.io', resource: 'leases', name });
    if (object.metadata?.resourceVersion !== existing.metadata?.resourceVersion) {
      throw StatusError.conflict(
        { group: 'coordination.k8s.io', resource: 'leases', name },
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    return this.store(key, object as unknown as Lease) as unknown as T;
  }

  /** What the apiserver holds now. */
  lease(): Lease | undefined {
    const lease = this.leases.get(keyOf(LOCK.namespace, LOCK.name));
    return lease && structuredClone(lease);
  }

  /** Another writer (a candidate on another host) writes the Lease spec. */
  write(spec: NonNullable<Lease['spec']>): void {
    const key = keyOf(LOCK.namespace, LOCK.name);
    const existing = this.leases.get(key) ?? { metadata: { name: LOCK.name, namespace: LOCK.namespace } };
    this.store(key, { ...existing, spec: { ...existing.spec, ...spec } });
  }

  private store(key: string, lease: Lease): Lease {
    this.writes++;
    const stored = structuredClone(lease);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.revision) };
    this.leases.set(key, stored);
    return structuredClone(stored);
  }

  private async arrive(): Promise<void> {
    if (this.hang) await new Promise<never>(() => {});
    await Promise.resolve();
    if (this.failure) throw this.failure;
  }
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace}/${name}`;

/** Lets every pending promise chain run (the fake answers in microtasks). */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

interface Candidate {
  elector: LeaderElector;
  events: string[];
  errors: StatusError[];
  /** The signal onStartedLeading received, once it did. */
  workSignal: AbortSignal | undefined;
  stop: AbortController;
  done: Promise<void>;
  settled: () => boolean;
}

describe('LeaderElector', () => {
  let clock: FakeClock;
  let leases: FakeLeases;
  const running: Candidate[] = [];

  // Time starts at a real-looking instant so that the written MicroTimes are plausible.
  const start = () => {
    clock = new FakeClock(Date.UTC(2024, 0, 1));
    leases = new FakeLeases();
  };
  start();

  afterEach(async () => {
    for (const candidate of running.splice(0)) candidate.stop.abort();
    leases.hang = false;
    leases.failure = undefined;
    await advance(RENEW_DEADLINE_MS);
    start();
  });

  /** Moves the fake clock in small steps, letting the loops react between them. */
  async function advance(ms: number): Promise<void> {
    const step = 50;
    await flush();
    for (let passed = 0; passed < ms; passed += step) {
      clock.step(Math.min(step, ms - passed));
      await flush();
    }
  }

  function campaign(identity: string, overrides: Partial<LeaderElectionConfig> = {}): Candidate {
    const stop = new AbortController();
    const candidate: Candidate = {
      elector: undefined as unknown as LeaderElector,
      events: [],
      errors: [],
      workSignal: undefined,
      stop,
      done: Promise.resolve(),
      settled: () => false,
    };
    candidate.elector = new LeaderElector({
      client: leases,
      lock: LOCK,
      identity,
      leaseDurationMs: LEASE_MS,
      renewDeadlineMs: RENEW_DEADLINE_MS,
      retryPeriodMs: RETRY_MS,
      clock,
      wallClock: () => new Date(clock.now()),
      random: () => 0,
      onError: (e) => candidate.errors.push(e),
      callbacks: {
        onStartedLeading: (signal) => {
          candidate.workSignal = signal;
          candidate.events.push('started');
        },
        onStoppedLeading: () => candidate.events.push('stopped'),
        onNewLeader: (leader) => candidate.events.push(`leader ${leader}`),
      },
      ...overrides,
    });
    let settled = false;
    candidate.done = candidate.elector.run(stop.signal).finally(() => {
      settled = true;
    });
    candidate.settled = () => settled;
    running.push(candidate);
    return candidate;
  }

  const now = () => formatMicroTime(new Date(clock.now()));

  it('creates an absent Lease and leads', async () => {
    const a = campaign('a');
    await flush();

    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['leader a', 'started']);
    expect(a.workSignal?.aborted).toBe(false);
    expect(leases.lease()).toMatchObject({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
      spec: {
        holderIdentity: 'a',
        leaseDurationSeconds: 15,
        acquireTime: '2024-01-01T00:00:00.000000Z',
        renewTime: '2024-01-01T00:00:00.000000Z',
        leaseTransitions: 0,
      },
    });
  });

  it('renews every retryPeriod, keeping acquireTime and the transition count', async () => {
    const a = campaign('a');
    await flush();
    const acquired = leases.lease();

    for (let i = 1; i <= 8; i++) {
      await advance(RETRY_MS);
      expect(leases.lease()?.spec?.renewTime).toBe(now());
    }
    expect(leases.writes).toBe(9);
    expect(leases.lease()?.spec).toMatchObject({
      holderIdentity: 'a',
      acquireTime: acquired?.spec?.acquireTime,
      leaseTransitions: 0,
    });
    expect(a.elector.isLeader()).toBe(true);
    expect(a.errors).toEqual([]);
  });

  it.each([
    ['in the future', '2099-01-01T00:00:00.000000Z'],
    ['long ago', '2000-01-01T00:00:00.000000Z'],
  ])(
    'takes over an abandoned Lease leaseDuration after it last saw it change, its renewTime %s notwithstanding',
    async (_when, renewTime) => {
      leases.write({
        holderIdentity: 'gone',
        leaseDurationSeconds: 15,
        acquireTime: renewTime,
        renewTime,
        leaseTransitions: 4,
      });
      const b = campaign('b');
      await flush();
      expect(b.events).toEqual(['leader gone']);

      await advance(LEASE_MS - 1);
      expect(b.elector.isLeader()).toBe(false);
      // The first poll after expiry takes it: polls fall on multiples of retryPeriod here.
      await advance(16_000 - (LEASE_MS - 1));
      expect(b.elector.isLeader()).toBe(true);
      expect(b.events).toEqual(['leader gone', 'leader b', 'started']);
      expect(leases.lease()?.spec).toMatchObject({
        holderIdentity: 'b',
        acquireTime: now(),
        renewTime: now(),
        leaseTransitions: 5,
      });
    },
  );

  it('never displaces a holder that keeps renewing', async () => {
    leases.write({ holderIdentity: 'busy', leaseDurationSeconds: 15, leaseTransitions: 0 });
    const b = campaign('b');
    for (let second = 1; second <= 60; second++) {
      await advance(1000);
      if (second % 10 === 0) leases.write({ renewTime: now() });
    }
    expect(b.elector.isLeader()).toBe(false);
    expect(b.events).toEqual(['leader busy']);
    expect(leases.lease()?.spec?.holderIdentity).toBe('busy');
  });

  it('lets exactly one of two racing candidates win; the loser sees a 409 and follows', async () => {
    const a = campaign('a');
    const b = campaign('b');
    await flush();
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    const [winner, loser] = a.elector.isLeader() ? [a, b] : [b, a];
    // The loser's create answered 409 AlreadyExists; its next poll reads who won.
    await advance(RETRY_MS);
    expect(loser.events).toEqual([`leader ${winner.elector.getLeader()}`]);
    expect(loser.elector.isLeader()).toBe(false);

    // A released Lease: both read it and both write; the compare-and-set admits one.
    winner.stop.abort();
    await flush();
    leases.write({ holderIdentity: '', leaseTransitions: 7 });
    const c = campaign('c');
    const d = campaign('d');
    await advance(2 * RETRY_MS);
    const leaders = [loser, c, d].filter((x) => x.elector.isLeader());
    expect(leaders).toHaveLength(1);
    expect(leases.lease()?.spec?.leaseTransitions).toBe(8);
    // Lost races are not errors.
    expect([...a.errors, ...b.errors, ...c.errors, ...d.errors]).toEqual([]);
  });

  it('keeps leading when another writer touched the Lease but left it to us', async () => {
    const a = campaign('a');
    await flush();
    leases.write({}); // a label edit, say: a new resourceVersion, the same holder
    await advance(RETRY_MS);
    expect(a.elector.isLeader()).toBe(true);
    expect(leases.lease()?.spec).toMatchObject({ holderIdentity: 'a', renewTime: now(), leaseTransitions: 0 });
    expect(a.events).toEqual(['leader a', 'started']);
  });

  it('survives renewal failures shorter than renewDeadline', async () => {
    const a = campaign('a');
    await flush();
    leases.failure = StatusError.unavailable('the apiserver is restarting');
    // Renewals fail from the first one (at retryPeriod) for most of renewDeadline.
    await advance(RETRY_MS + RENEW_DEADLINE_MS - 5000);
    leases.failure = undefined;
    // The retry due a second later succeeds.
    await advance(1000);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.events).toEqual(['leader a', 'started']);
    expect(leases.lease()?.spec?.renewTime).toBe(now());
    expect(a.errors.length).toBeGreaterThan(0);
    expect(a.errors.every((e) => e.code === 503)).toBe(true);
  });

  it('stops leading when renewals fail for renewDeadline, aborting the work', async () => {
    const a = campaign('a');
    await flush();
    leases.failure = StatusError.unavailable('the apiserver is down');
    // The first renewal is due after retryPeriod; renewDeadline counts from then.
    await advance(RETRY_MS + RENEW_DEADLINE_MS - 50);
    expect(a.elector.isLeader()).toBe(true);
    expect(a.workSignal?.aborted).toBe(false);

    await advance(100);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.workSignal?.aborted).toBe(true);
    expect(a.events).toEqual(['leader a', 'started', 'stopped']);
    expect(a.settled()).toBe(true);
    await a.done;
  });

  it('stops leading at renewDeadline when the apiserver does not answer at all', async () => {
    const a = campaign('a');
    await flush();
    leases.hang = true;
    await advance(RETRY_MS + RENEW_DEADLINE_MS - 50);
    expect(a.elector.isLeader()).toBe(true);
    await advance(100);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['leader a', 'started', 'stopped']);
  });

  it('stops leading at once when a renewal finds another holder', async () => {
    const a = campaign('a');
    await flush();
    leases.write({ holderIdentity: 'usurper', leaseTransitions: 1 });
    await advance(RETRY_MS);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['leader a', 'started', 'leader usurper', 'stopped']);
    expect(leases.lease()?.spec?.holderIdentity).toBe('usurper');
  });

  it('with releaseOnCancel, clears the holder on stop so a candidate takes over at its next poll', async () => {
    const a = campaign('a', { releaseOnCancel: true });
    await flush();
    const b = campaign('b');
    await advance(RETRY_MS);
    expect(b.elector.isLeader()).toBe(false);

    a.stop.abort();
    await flush();
    expect(a.workSignal?.aborted).toBe(true);
    expect(a.events).toEqual(['leader a', 'started', 'stopped']);
    expect(a.settled()).toBe(true);
    expect(leases.lease()?.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 0 });

    await advance(RETRY_MS);
    expect(b.elector.isLeader()).toBe(true);
    expect(leases.lease()?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('without releaseOnCancel, leaves the Lease to expire', async () => {
    const a = campaign('a');
    await flush();
    const b = campaign('b');
    await flush();
    a.stop.abort();
    await flush();
    expect(a.events).toEqual(['leader a', 'started', 'stopped']);
    expect(leases.lease()?.spec?.holderIdentity).toBe('a');

    await advance(LEASE_MS - RETRY_MS);
    expect(b.elector.isLeader()).toBe(false);
    await advance(2 * RETRY_MS);
    expect(b.elector.isLeader()).toBe(true);
  });

  it('with releaseOnCancel, releases only once the work has wound down', async () => {
    let finishWork = () => {};
    const a = campaign('a', {
      releaseOnCancel: true,
      callbacks: {
        onStartedLeading: () => new Promise<void>((resolve) => (finishWork = resolve)),
        onStoppedLeading: () => {},
      },
    });
    await flush();
    a.stop.abort();
    await flush();
    expect(leases.lease()?.spec?.holderIdentity).toBe('a');
    expect(a.settled()).toBe(false);

    finishWork();
    await flush();
    expect(leases.lease()?.spec?.holderIdentity).toBe('');
    expect(a.settled()).toBe(true);
  });

  it('ends leadership when the work fails, and run rejects with its error', async () => {
    const stopped: string[] = [];
    const a = campaign('a', {
      releaseOnCancel: true,
      callbacks: {
        onStartedLeading: async () => {
          throw new Error('the work crashed');
        },
        onStoppedLeading: () => stopped.push('stopped'),
      },
    });
    await expect(a.done).rejects.toThrow('the work crashed');
    expect(a.elector.isLeader()).toBe(false);
    expect(stopped).toEqual(['stopped']);
    expect(leases.lease()?.spec?.holderIdentity).toBe('');
  });

  it('returns without callbacks when stopped before it could lead', async () => {
    leases.write({ holderIdentity: 'other', leaseDurationSeconds: 15 });
    const b = campaign('b', { releaseOnCancel: true });
    await advance(RETRY_MS);
    b.stop.abort();
    await b.done;
    expect(b.events).toEqual(['leader other']);
    expect(leases.lease()?.spec?.holderIdentity).toBe('other');
    await expect(b.elector.run(new AbortController().signal)).rejects.toThrow('runs once');
  });

  it('keeps a fractional lease duration exact for other tkube candidates', async () => {
    const fast = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 300 };
    const a = campaign('a', fast);
    await flush();
    expect(leases.lease()?.spec?.leaseDurationSeconds).toBe(2);
    const b = campaign('b', fast);
    await flush();
    a.stop.abort();
    await flush();
    await advance(1400);
    expect(b.elector.isLeader()).toBe(false);
    await advance(400);
    expect(b.elector.isLeader()).toBe(true);
  });

  it('rejects a config in which the leader could outlast its lease', () => {
    const config = {
      client: leases,
      lock: LOCK,
      identity: 'a',
      callbacks: { onStartedLeading: () => {}, onStoppedLeading: () => {} },
    };
    expect(() => new LeaderElector({ ...config, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 })).toThrow(
      'leaseDurationMs must be greater than renewDeadlineMs',
    );
    expect(() => new LeaderElector({ ...config, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow(
      'renewDeadlineMs must be greater than retryPeriodMs*1.2',
    );
    expect(() => new LeaderElector({ ...config, identity: '' })).toThrow('the identity must not be empty');
    expect(() => new LeaderElector(config)).not.toThrow();
  });
});
