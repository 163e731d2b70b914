import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { ControllerExpectations, EXPECTATIONS_TTL_MS } from './expectations.js';

describe('ControllerExpectations', () => {
  it('is satisfied for a key never seen', () => {
    expect(new ControllerExpectations().satisfied('ns/a')).toBe(true);
  });

  it('waits until every expected creation is observed', () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.expectCreations('ns/a', 2);
    expect(expectations.satisfied('ns/a')).toBe(false);
    expectations.creationObserved('ns/a');
    expect(expectations.satisfied('ns/a')).toBe(false);
    expectations.creationObserved('ns/a');
    expect(expectations.satisfied('ns/a')).toBe(true);
  });

  it('waits for deletions, and lowering for a failed write counts as observed', () => {
    const expectations = new ControllerExpectations(new FakeClock());
    expectations.expectDeletions('ns/a', 2);
    expectations.deletionObserved('ns/a');
    expect(expectations.satisfied('ns/a')).toBe(false);
    expectations.lower('ns/a', 0, 1);
    expect(expectations.satisfied('ns/a')).toBe(true);
  });

  it('counts expectations older than the TTL as satisfied', () => {
    const clock = new FakeClock();
    const expectations = new ControllerExpectations(clock);
    expectations.expectCreations('ns/a', 3);
    clock.step(EXPECTATIONS_TTL_MS + 1);
    expect(expectations.satisfied('ns/a')).toBe(true);
  });
});
