/**
 * The machine a benchmark ran on, and how busy it was while it ran (the cores may be shared
 * with other work): cores, memory, Node, kernel, load, busy cores and CPU pressure.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  kernel: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  let kernel = 'unknown';
  try {
    kernel = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    // not Linux: the benchmark fails later anyway (iptables)
  }
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    kernel,
  };
}

export function loadAverages(): number[] {
  return loadavg().map((n) => Math.round(n * 100) / 100);
}

interface CpuTicks {
  busy: number;
  total: number;
}

/** The first line of /proc/stat: every CPU's ticks since boot; iowait and idle are not busy. */
function machineTicks(): CpuTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** Starts counting; the returned function gives the cores the whole machine kept busy since. */
export function measureMachineBusyCores(cores: number): () => number | undefined {
  const before = machineTicks();
  return () => {
    const after = machineTicks();
    if (!before || !after || after.total === before.total) return undefined;
    const share = (after.busy - before.busy) / (after.total - before.total);
    return Math.round(share * cores * 100) / 100;
  };
}

/** Microseconds some runnable task waited for a CPU, since boot (/proc/pressure/cpu, PSI). */
function cpuPressureMicros(): number | undefined {
  try {
    const some = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    const total = Number(/total=(\d+)/.exec(some)?.[1]);
    return Number.isFinite(total) ? total : undefined;
  } catch {
    return undefined;
  }
}

/** Starts counting; the returned function gives the % of the time since when some task waited for a CPU. */
export function measureCpuPressure(): () => number | undefined {
  const before = cpuPressureMicros();
  const started = performance.now();
  return () => {
    const after = cpuPressureMicros();
    if (before === undefined || after === undefined) return undefined;
    return Math.round(((after - before) / 1000 / (performance.now() - started)) * 100);
  };
}
