import { FakeClock } from '@tkube/client';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RuntimeConfigUpdater } from './runtime-config-updater.js';

/** A runtime whose UpdateRuntimeConfig calls are recorded and answered by the test. */
function scriptedRuntime() {
  const calls: string[] = [];
  const pending: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  return {
    calls,
    /** Answers the oldest unanswered call. */
    answer(ok = true) {
      const call = pending.shift();
      if (!call) throw new Error('no call to answer');
      if (ok) call.resolve();
      else call.reject(new Error('runtime unavailable'));
    },
    runtime: {
      updateRuntimeConfig: (request?: { runtimeConfig?: { networkConfig?: { podCidr?: string } } }) => {
        calls.push(request?.runtimeConfig?.networkConfig?.podCidr ?? '');
        return new Promise<object>((resolve, reject) => pending.push({ resolve: () => resolve({}), reject }));
      },
    },
  };
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function updaterOver(script: ReturnType<typeof scriptedRuntime>, clock = new FakeClock()) {
  const applied: string[] = [];
  const updater = new RuntimeConfigUpdater({
    runtime: script.runtime,
    logger: pino({ level: 'silent' }),
    onApplied: (cidr) => applied.push(cidr),
    clock,
    initialRetryDelayMs: 1_000,
    maxRetryDelayMs: 4_000,
  });
  return { updater, applied, clock };
}

describe('RuntimeConfigUpdater', () => {
  it('sends each new pod CIDR to the runtime once, and counts it applied when the runtime took it', async () => {
    const script = scriptedRuntime();
    const { updater, applied } = updaterOver(script);
    updater.update('10.244.1.0/24');
    updater.update('10.244.1.0/24');
    expect(script.calls).toEqual(['10.244.1.0/24']);
    expect(applied).toEqual([]);
    script.answer();
    await settle();
    expect(applied).toEqual(['10.244.1.0/24']);

    updater.update('10.244.1.0/24');
    updater.update('10.244.2.0/24');
    script.answer();
    await settle();
    expect(script.calls).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
    expect(applied).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
  });

  it('retries a failed update with back-off until the runtime takes it', async () => {
    const script = scriptedRuntime();
    const { updater, applied, clock } = updaterOver(script);
    updater.update('10.244.1.0/24');
    script.answer(false);
    await settle();
    expect(script.calls).toHaveLength(1);
    clock.step(500);
    expect(script.calls).toHaveLength(1);
    clock.step(1_000); // the first retry: 1 s, ±20%
    expect(script.calls).toHaveLength(2);
    script.answer(false);
    await settle();
    clock.step(2_500); // the second: 2 s, ±20%
    expect(script.calls).toEqual(['10.244.1.0/24', '10.244.1.0/24', '10.244.1.0/24']);
    script.answer();
    await settle();
    expect(applied).toEqual(['10.244.1.0/24']);
    clock.step(60_000);
    expect(script.calls).toHaveLength(3);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('never overlaps calls, and sends a CIDR that came in meanwhile right after the one in flight', async () => {
    const script = scriptedRuntime();
    const { updater, applied, clock } = updaterOver(script);
    updater.update('10.244.1.0/24');
    updater.update('10.244.2.0/24');
    expect(script.calls).toEqual(['10.244.1.0/24']);
    script.answer(false);
    await settle();
    // The failed one is stale: the newer CIDR goes out at once, not after a back-off.
    expect(script.calls).toEqual(['10.244.1.0/24', '10.244.2.0/24']);
    script.answer();
    await settle();
    expect(applied).toEqual(['10.244.2.0/24']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('sends nothing more once stopped', async () => {
    const script = scriptedRuntime();
    const { updater, clock } = updaterOver(script);
    updater.update('10.244.1.0/24');
    script.answer(false);
    await settle();
    updater.stop();
    clock.step(60_000);
    updater.update('10.244.2.0/24');
    expect(script.calls).toEqual(['10.244.1.0/24']);
  });
});
