import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import type { EnsureResult } from './ensure-kube-dns.js';
import { KubeDnsRegistration } from './registration.js';

function recordingLogger() {
  const lines: string[] = [];
  const log = (level: string) => (_fields: Record<string, unknown>, message: string) =>
    lines.push(`${level} ${message}`);
  return { lines, logger: { info: log('info'), warn: log('warn'), error: log('error') } };
}

describe('KubeDnsRegistration', () => {
  it('retries with back-off until the ensurer succeeds', async () => {
    const clock = new FakeClock();
    const { lines, logger } = recordingLogger();
    let calls = 0;
    const ensure = async (): Promise<EnsureResult> => {
      calls++;
      if (calls < 3) throw new Error('apiserver not ready');
      return { changes: ['created service'] };
    };
    const registration = new KubeDnsRegistration({
      ensure,
      logger,
      backoff: { clock, initialDelayMs: 1000, jitter: 0 },
    });
    registration.trigger();
    await registration.idle();
    expect(calls).toBe(1);
    clock.step(1000);
    await registration.idle();
    expect(calls).toBe(2);
    clock.step(2000);
    await registration.idle();
    expect(calls).toBe(3);
    expect(registration.hasSucceeded()).toBe(true);
    expect(lines).toEqual([
      'warn registering the kube-dns Service failed; retrying',
      'warn registering the kube-dns Service failed; retrying',
      'info kube-dns Service registered',
    ]);
    await registration.stop();
  });

  it('runs once more when triggered during a run, never two at once', async () => {
    let running = 0;
    let most = 0;
    let calls = 0;
    const ensure = async (): Promise<EnsureResult> => {
      calls++;
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return { changes: [] };
    };
    const registration = new KubeDnsRegistration({ ensure, logger: recordingLogger().logger });
    registration.trigger();
    registration.trigger();
    registration.trigger();
    await registration.idle();
    expect(calls).toBe(2);
    expect(most).toBe(1);
    await registration.stop();
  });

  it('logs an error for a Service at another ClusterIP', async () => {
    const { lines, logger } = recordingLogger();
    const registration = new KubeDnsRegistration({
      ensure: async () => ({ changes: [], conflictingClusterIP: '10.96.0.53' }),
      logger,
    });
    registration.trigger();
    await registration.idle();
    expect(lines[0]).toMatch(/^error the kube-dns Service exists at another ClusterIP/);
  });
});
