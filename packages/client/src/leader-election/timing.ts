/**
 * Waiting on an injectable clock: sleeps that an AbortSignal cuts short, and races that
 * stop waiting for a promise (which goes on running) at a deadline or an abort.
 */

import type { Clock } from '../clock.js';

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      timer.cancel();
      resolve();
    };
    const timer = clock.setTimer(ms, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export const TIMED_OUT = Symbol('timed out');
export const ABORTED = Symbol('aborted');

/** The promise's value, or TIMED_OUT once the clock reaches `deadline` first. */
export function settleBefore<T>(clock: Clock, promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = clock.setTimer(deadline - clock.now(), () => resolve(TIMED_OUT));
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (err: unknown) => {
        timer.cancel();
        reject(err);
      },
    );
  });
}

/** The promise's value, or ABORTED once `signal` aborts first. */
export function settleUnlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      resolve(ABORTED);
      return;
    }
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
