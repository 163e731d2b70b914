/** One process's figures over a scenario: CPU time and share, memory, and its busiest intervals. */
import type { SampledRun } from './process-sampler.ts';

export interface WatchedProcessFigures {
  pid: number;
  /** utime + stime over the scenario (first POST to its goal). */
  cpuSeconds: number;
  percentOfOneCore: number;
  wallSeconds: number;
  rssMiBAtEnd: number;
  /** VmHWM: the largest resident set since the process started. */
  hwmMiB: number;
  peakSampledRssMiB: number;
  busiestIntervalCores: number;
  /** Sampling intervals in which it used 0.9 core or more: a Node process's event loop is one core. */
  intervalsAtOneCore: number;
  intervals: number;
}

export function watchedProcessFigures(sampled: SampledRun, name: string): WatchedProcessFigures {
  const figures = sampled.processes[name];
  if (!figures) throw new Error(`${name} was not sampled`);
  const timeline = sampled.watchedCoresTimeline;
  return {
    pid: figures.pid,
    cpuSeconds: figures.cpuSeconds,
    percentOfOneCore: Math.round(figures.cores * 1000) / 10,
    wallSeconds: sampled.wallSeconds,
    rssMiBAtEnd: figures.memory?.rss ?? Number.NaN,
    hwmMiB: figures.memory?.hwm ?? Number.NaN,
    peakSampledRssMiB: figures.peakSampledRssMiB,
    busiestIntervalCores: Math.max(0, ...timeline),
    intervalsAtOneCore: timeline.filter((cores) => cores >= 0.9).length,
    intervals: timeline.length,
  };
}
