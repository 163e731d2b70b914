import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { BoundedSyncRunner } from './bounded-sync-runner.js';

function setup(fail: () => boolean = () => false) {
  const clock = new FakeClock();
  const runs: { at: number; full: boolean }[] = [];
  const errors: unknown[] = [];
  let release: (() => void) | undefined;
  let hold = false;
  const runner = new BoundedSyncRunner({
    clock,
    minIntervalMs: 100,
    periodMs: 30_000,
    retryMs: 1_000,
    onError: (err) => errors.push(err),
    sync: async (full) => {
      runs.push({ at: clock.now(), full });
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      if (fail()) throw new Error('restore failed');
    },
  });
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    clock,
    runs,
    errors,
    runner,
    flush,
    holdNext: () => (hold = true),
    release: () => {
      hold = false;
      release?.();
    },
  };
}

describe('BoundedSyncRunner', () => {
  it('runs fully at start, then coalesces a burst of changes into one run after the minimum interval', async () => {
    const t = setup();
    t.runner.start();
    t.clock.step(0);
    await t.flush();
    expect(t.runs).toEqual([{ at: 0, full: true }]);
    t.clock.step(10);
    for (let i = 0; i < 50; i++) t.runner.request();
    t.clock.step(89);
    await t.flush();
    expect(t.runs).toHaveLength(1);
    t.clock.step(1);
    await t.flush();
    expect(t.runs).toEqual([
      { at: 0, full: true },
      { at: 100, full: false },
    ]);
  });

  it('runs a change at once when the last run is older than the minimum interval', async () => {
    const t = setup();
    t.runner.start();
    t.clock.step(5_000);
    await t.flush();
    t.runner.request();
    t.clock.step(0);
    await t.flush();
    expect(t.runs.at(-1)).toEqual({ at: 5_000, full: false });
  });

  it('runs a full sync every period without changes', async () => {
    const t = setup();
    t.runner.start();
    t.clock.step(0);
    await t.flush();
    t.clock.step(30_000);
    await t.flush();
    t.clock.step(30_000);
    await t.flush();
    expect(t.runs).toEqual([
      { at: 0, full: true },
      { at: 30_000, full: true },
      { at: 60_000, full: true },
    ]);
  });

  it('retries a failed run fully after the retry delay', async () => {
    let failures = 1;
    const t = setup(() => failures-- > 0);
    t.runner.start();
    t.clock.step(0);
    await t.flush();
    expect(t.errors).toHaveLength(1);
    t.clock.step(1_000);
    await t.flush();
    expect(t.runs).toEqual([
      { at: 0, full: true },
      { at: 1_000, full: true },
    ]);
  });

  it('never runs twice at once: a change during a run is run after it', async () => {
    const t = setup();
    t.holdNext();
    t.runner.start();
    t.clock.step(0);
    await t.flush();
    t.runner.request();
    t.clock.step(500);
    await t.flush();
    expect(t.runs).toHaveLength(1);
    t.release();
    await t.flush();
    t.clock.step(0);
    await t.flush();
    expect(t.runs).toEqual([
      { at: 0, full: true },
      { at: 500, full: false },
    ]);
  });

  it('runs nothing after stop', async () => {
    const t = setup();
    t.runner.start();
    t.clock.step(0);
    await t.flush();
    await t.runner.stop();
    t.runner.request();
    t.clock.step(60_000);
    await t.flush();
    expect(t.runs).toHaveLength(1);
  });
});
