/**
 * CPU time and memory of the cluster's processes over a run: CPU seconds at the start and
 * the end (utime + stime), and every 500 ms each process's resident set, so its peak is
 * known even if it shrinks before the end, and the controller-manager's CPU share per
 * interval, to see whether it was ever the bottleneck (a Node process uses about one core).
 */
import { cpuSeconds, type MemoryMiB, memoryMiB } from './proc-stats.ts';

export const SAMPLE_INTERVAL_MS = 500;

export interface ProcessFigures {
  pid: number;
  cpuSeconds: number;
  /** CPU seconds per wall second: 1 is one core busy the whole run. */
  cores: number;
  /** At the end (VmRSS, VmHWM), and the largest VmRSS sampled during the run. */
  memory: MemoryMiB | undefined;
  peakSampledRssMiB: number;
}

export interface SampledRun {
  wallSeconds: number;
  processes: Record<string, ProcessFigures>;
  /** The watched process's cores in each sampling interval. */
  watchedCoresTimeline: number[];
}

export interface ProcessSampler {
  stop(): SampledRun;
}

export function sampleProcesses(pids: Record<string, number>, watched: string): ProcessSampler {
  const started = performance.now();
  const cpuAtStart: Record<string, number> = {};
  const peakRss: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) cpuAtStart[name] = cpuSeconds(pid) ?? 0;
  const timeline: number[] = [];
  let lastWatchedCpu = cpuAtStart[watched] ?? 0;
  let lastAt = started;
  const sample = () => {
    for (const [name, pid] of Object.entries(pids)) {
      const rss = memoryMiB(pid)?.rss ?? 0;
      peakRss[name] = Math.max(peakRss[name] ?? 0, rss);
    }
    const watchedPid = pids[watched];
    const now = performance.now();
    const cpu = watchedPid === undefined ? undefined : cpuSeconds(watchedPid);
    if (cpu !== undefined) {
      timeline.push(round2((cpu - lastWatchedCpu) / ((now - lastAt) / 1000)));
      lastWatchedCpu = cpu;
      lastAt = now;
    }
  };
  sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const wallSeconds = (performance.now() - started) / 1000;
      const processes: Record<string, ProcessFigures> = {};
      for (const [name, pid] of Object.entries(pids)) {
        const used = (cpuSeconds(pid) ?? cpuAtStart[name] ?? 0) - (cpuAtStart[name] ?? 0);
        processes[name] = {
          pid,
          cpuSeconds: round2(used),
          cores: round2(used / wallSeconds),
          memory: memoryMiB(pid),
          peakSampledRssMiB: peakRss[name] ?? 0,
        };
      }
      return { wallSeconds: round2(wallSeconds), processes, watchedCoresTimeline: timeline };
    },
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
