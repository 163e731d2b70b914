import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { FakeClock } from './clock.js';

describe('Backoff', () => {
  it('waits the initial delay, then multiplies it up to the maximum, and resets', () => {
    const clock = new FakeClock();
    let calls = 0;
    const backoff = new Backoff(() => calls++, {
      initialDelayMs: 100,
      multiplier: 2,
      maxDelayMs: 350,
      jitter: 0,
      clock,
    });

    expect(backoff.runOnce()).toBe(100);
    expect(backoff.isRunning()).toBe(true);
    clock.step(99);
    expect(calls).toBe(0);
    clock.step(1);
    expect(calls).toBe(1);
    expect(backoff.isRunning()).toBe(false);

    expect([backoff.runOnce()]).toEqual([200]);
    clock.step(200);
    expect(backoff.runOnce()).toBe(350);
    clock.step(350);
    expect(backoff.runOnce()).toBe(350);
    clock.step(350);
    expect(calls).toBe(4);

    backoff.reset();
    expect(backoff.runOnce()).toBe(100);
  });

  it('runs once however often it is armed, and stop cancels it', () => {
    const clock = new FakeClock();
    let calls = 0;
    const backoff = new Backoff(() => calls++, { initialDelayMs: 10, jitter: 0, clock });
    backoff.runOnce();
    backoff.runOnce();
    clock.step(100);
    expect(calls).toBe(1);
    backoff.runOnce();
    backoff.stop();
    clock.step(1000);
    expect(calls).toBe(1);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('spreads delays by the jitter fraction', () => {
    const clock = new FakeClock();
    const low = new Backoff(() => {}, { initialDelayMs: 1000, jitter: 0.2, clock, random: () => 0 });
    const high = new Backoff(() => {}, { initialDelayMs: 1000, jitter: 0.2, clock, random: () => 0.999999 });
    expect(low.runOnce()).toBeCloseTo(800);
    expect(high.runOnce()).toBeCloseTo(1200, 0);
  });
});
