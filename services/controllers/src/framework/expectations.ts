/**
 * Controller expectations (kube's controller_utils.go): "I asked for 3 creates, do not
 * act again on this key until the cache shows 3 new objects". The cache lags the writes,
 * so without this a burst of events would make a controller create the same pods twice.
 * Expectations older than the TTL count as satisfied: a watch event lost for good must
 * not wedge the controller forever.
 */
import type { Clock } from '@tkube/client';
import { realClock } from '@tkube/client';

export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Expectation {
  add: number;
  del: number;
  setAt: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** Replaces the key's expectations with `adds` creations. */
  expectCreations(key: string, adds: number): void {
    this.byKey.set(key, { add: adds, del: 0, setAt: this.clock.now() });
  }

  /** Replaces the key's expectations with `dels` deletions. */
  expectDeletions(key: string, dels: number): void {
    this.byKey.set(key, { add: 0, del: dels, setAt: this.clock.now() });
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  /** Lowers expectations when a create or delete was skipped or failed (it will not be observed). */
  lower(key: string, adds: number, dels: number): void {
    const expectation = this.byKey.get(key);
    if (!expectation) return;
    expectation.add -= adds;
    expectation.del -= dels;
  }

  /** True when nothing is pending for the key, nothing was ever expected, or the expectations expired. */
  satisfied(key: string): boolean {
    const expectation = this.byKey.get(key);
    if (!expectation) return true;
    if (expectation.add <= 0 && expectation.del <= 0) return true;
    return this.clock.now() - expectation.setAt > this.ttlMs;
  }

  /** Forgets the key (its object was deleted). */
  delete(key: string): void {
    this.byKey.delete(key);
  }
}
