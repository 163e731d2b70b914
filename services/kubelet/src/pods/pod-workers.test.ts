import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { PodWorkers } from './pod-workers.js';

describe('PodWorkers', () => {
  it('never runs two syncs of a pod at once and folds asks made meanwhile into one', async () => {
    let active = 0;
    let maxActive = 0;
    const runs: string[] = [];
    let release: (() => void) | undefined;
    const workers = new PodWorkers(
      async (uid) => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs.push(uid);
        if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
        active--;
      },
      () => undefined,
    );
    workers.enqueue('a');
    workers.enqueue('a');
    workers.enqueue('a');
    workers.enqueue('b');
    release?.();
    await workers.idle();
    expect(maxActive).toBeLessThanOrEqual(2);
    expect(runs.filter((u) => u === 'a')).toHaveLength(2);
    expect(runs.filter((u) => u === 'b')).toHaveLength(1);
  });

  it('syncs later on enqueueAfter, keeping the earliest time, and reports errors', async () => {
    const clock = new FakeClock();
    const runs: number[] = [];
    const errors: unknown[] = [];
    const workers = new PodWorkers(
      async () => {
        runs.push(clock.now());
        throw new Error('boom');
      },
      (_uid, err) => errors.push(err),
      clock,
    );
    workers.enqueueAfter('a', 10_000);
    workers.enqueueAfter('a', 5_000);
    workers.enqueueAfter('a', 20_000);
    clock.step(4_999);
    expect(runs).toEqual([]);
    clock.step(1);
    await workers.idle();
    expect(runs).toEqual([5_000]);
    clock.step(20_000);
    await workers.idle();
    expect(runs).toEqual([5_000]);
    expect(errors).toHaveLength(1);
  });
});
