import { describe, expect, it } from 'vitest';
import { CrashBackoff } from './crash-backoff.js';

describe('CrashBackoff', () => {
  it('restarts at once the first time, then after 10 s doubling to 5 min', () => {
    let now = 1_000_000;
    const backoff = new CrashBackoff(() => now);
    const key = 'uid/web/hash';
    const delays: number[] = [];
    for (let crash = 0; crash < 8; crash++) {
      const exitedAt = now;
      if (backoff.isInBackOffSince(key, exitedAt)) {
        delays.push(backoff.remaining(key, exitedAt));
        now += backoff.remaining(key, exitedAt);
        expect(backoff.isInBackOffSince(key, exitedAt)).toBe(false);
      } else {
        delays.push(0);
      }
      backoff.next(key, exitedAt);
      now += 1; // the container runs briefly and exits again
    }
    expect(delays.map((d) => Math.round(d / 1000))).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
  });

  it('starts over after the container ran for more than 10 minutes', () => {
    let now = 0;
    const backoff = new CrashBackoff(() => now);
    backoff.next('k', 0);
    now = 5;
    backoff.next('k', 5);
    expect(backoff.delayOf('k')).toBe(20_000);
    now = 11 * 60_000;
    expect(backoff.isInBackOffSince('k', now)).toBe(false);
    backoff.next('k', now);
    expect(backoff.delayOf('k')).toBe(10_000);
  });
});
