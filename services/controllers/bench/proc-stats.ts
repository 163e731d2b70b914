/** One process's CPU time and memory, read from /proc (Linux). */
import { readFileSync } from 'node:fs';

/** USER_HZ: 100 on Linux x86_64. */
const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime in seconds; undefined once the process is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    // The command name may hold spaces and parentheses: count fields after its closing ") ".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    // state is field 3 of stat(5), so utime (14) and stime (15) sit at 11 and 12 here.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

export interface MemoryMiB {
  /** Resident set size now. */
  rss: number;
  /** The kernel's high-water mark of the resident set since the process started. */
  hwm: number;
}

export function memoryMiB(pid: number): MemoryMiB | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rss: round1(kib('VmRSS') / 1024), hwm: round1(kib('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
