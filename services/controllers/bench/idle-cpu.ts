/** A process's CPU share while nothing is asked of it: its floor, to set the run's figure against. */
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuSeconds } from './proc-stats.ts';

/** Cores (CPU seconds per wall second) the process used over the next `ms` milliseconds. */
export async function idleCores(pid: number, ms: number): Promise<number> {
  const before = cpuSeconds(pid) ?? 0;
  const started = performance.now();
  await sleep(ms);
  const used = (cpuSeconds(pid) ?? before) - before;
  return Math.round((used / ((performance.now() - started) / 1000)) * 1000) / 1000;
}
