/** CPU seconds per process from /proc/<pid>/stat (user + system), to see where the time goes. */
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on Linux x86_64. */
const CLOCK_TICKS_PER_SECOND = 100;

export function cpuSeconds(pid: number): number {
  try {
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    // After the command, state is field 3: utime (14) and stime (15) sit at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

export type CoreShares = Record<string, number>;

/** Starts counting; the returned function gives each process's cores (CPU s per wall s) since. */
export function measureCores(pids: Record<string, number>): () => CoreShares {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const self = process.cpuUsage();
  const start = performance.now();
  return () => {
    const wall = (performance.now() - start) / 1000;
    const shares: CoreShares = {};
    for (const [name, pid] of Object.entries(pids)) {
      shares[name] = round2((cpuSeconds(pid) - (before[name] ?? 0)) / wall);
    }
    const used = process.cpuUsage(self);
    shares.benchClient = round2((used.user + used.system) / 1e6 / wall);
    return shares;
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
