/**
 * The apiserver's answer time while the scenario runs: one small GET every 500 ms from the
 * benchmark. Every controller sync is a few such round trips, so this is their floor.
 */
import type { RestClient } from '../../../bench-kit/rest-client.ts';
import { type Distribution, distribution } from '../../../bench-kit/stats.ts';

const PROBE_EVERY_MS = 500;

export interface LatencyProbe {
  stop(): Promise<Distribution>;
}

export function probeLatency(client: RestClient, path: string): LatencyProbe {
  const samples: number[] = [];
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();
  const probe = () => {
    if (stopped) return;
    const sent = performance.now();
    inFlight = client.send('GET', path).then(
      () => {
        samples.push(performance.now() - sent);
      },
      () => undefined,
    );
  };
  // One at a time: a slow answer delays the next probe instead of piling requests up.
  const timer = setInterval(() => {
    void inFlight.then(probe);
  }, PROBE_EVERY_MS);
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
      return distribution(samples);
    },
  };
}
