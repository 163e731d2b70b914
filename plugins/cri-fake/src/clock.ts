/**
 * Time as the fake runtime sees it: the wall clock for timestamps and one-shot timers for
 * scripted exits. Injected so tests move time by hand instead of sleeping.
 */

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fire` once after `delayMs`; the returned function cancels it. */
  after(delayMs: number, fire: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(delayMs, fire) {
    const timer = setTimeout(fire, delayMs);
    // A scripted exit still pending must not keep a stopping process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
