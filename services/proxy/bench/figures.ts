/**
 * From raw runs to the figures the results show: per run its requests/s and latencies; per
 * mode (sequential, concurrent) the median of the rounds for each path, the pooled latencies
 * of all rounds, and what the ClusterIP adds: the median over rounds of (ClusterIP - pod IP)
 * at p50 and p99, and of the ClusterIP's requests/s over the pod IP's.
 */
import { type LatencySummary, median, round2, summarize } from './latency-stats.ts';
import type { LoadRun } from './load-run.ts';

export type Path = 'podIP' | 'clusterIP';
export type Mode = 'sequential' | 'concurrent';

export interface RunFigures {
  answered: number;
  failed: number;
  errors: Record<string, number>;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  answeredBy: Record<string, number>;
  /** Requests that took 500 ms or more: a SYN resent after the 1 s initial retransmission timeout. */
  slow: number;
  wallSeconds: number;
  capped: boolean;
}

/** Far above any answer's normal time, far below the 1 s of a resent SYN. */
export const SLOW_MS = 500;

export interface RoundFigures {
  mode: Mode;
  round: number;
  /** Which path ran first in this round: the order alternates so drift hits both alike. */
  first: Path;
  podIP: RunFigures;
  clusterIP: RunFigures;
}

export interface PathSummary {
  requestsPerSecondMedian: number;
  p50MedianMs: number;
  p90MedianMs: number;
  p99MedianMs: number;
  /** Every answered request of every round together. */
  pooledMs: LatencySummary;
  answered: number;
  failed: number;
  slow: number;
}

export interface ModeSummary {
  podIP: PathSummary;
  clusterIP: PathSummary;
  /** Median over rounds of ClusterIP p50 - pod IP p50 (and p99), in ms. */
  addedP50Ms: number;
  addedP99Ms: number;
  /** The smallest and largest per-round p50 difference: how far noise alone moves it. */
  addedP50RangeMs: [number, number];
  /** The same as a share of the pod IP's p50. */
  addedP50Percent: number;
  /** Median over rounds of ClusterIP requests/s / pod IP requests/s. */
  requestsPerSecondRatio: number;
}

export function runFigures(run: LoadRun): RunFigures {
  const failed = Object.values(run.errors).reduce((a, b) => a + b, 0);
  const seconds = run.wallMs / 1000;
  return {
    answered: run.latenciesMs.length,
    failed,
    errors: run.errors,
    requestsPerSecond: Math.round(run.latenciesMs.length / seconds),
    latencyMs: summarize(run.latenciesMs),
    answeredBy: run.answeredBy,
    slow: run.latenciesMs.filter((ms) => ms >= SLOW_MS).length,
    wallSeconds: round2(seconds),
    capped: run.capped,
  };
}

function pathSummary(rounds: RoundFigures[], path: Path, pooled: number[]): PathSummary {
  const runs = rounds.map((r) => r[path]);
  return {
    requestsPerSecondMedian: median(runs.map((r) => r.requestsPerSecond)),
    p50MedianMs: median(runs.map((r) => r.latencyMs.p50)),
    p90MedianMs: median(runs.map((r) => r.latencyMs.p90)),
    p99MedianMs: median(runs.map((r) => r.latencyMs.p99)),
    pooledMs: summarize(pooled),
    answered: runs.reduce((t, r) => t + r.answered, 0),
    failed: runs.reduce((t, r) => t + r.failed, 0),
    slow: runs.reduce((t, r) => t + r.slow, 0),
  };
}

export function modeSummary(rounds: RoundFigures[], pooled: Record<Path, number[]>): ModeSummary {
  const podIP = pathSummary(rounds, 'podIP', pooled.podIP);
  const p50Differences = rounds.map((r) => round2(r.clusterIP.latencyMs.p50 - r.podIP.latencyMs.p50));
  const addedP50Ms = median(p50Differences);
  return {
    podIP,
    clusterIP: pathSummary(rounds, 'clusterIP', pooled.clusterIP),
    addedP50Ms,
    addedP99Ms: median(rounds.map((r) => r.clusterIP.latencyMs.p99 - r.podIP.latencyMs.p99)),
    addedP50RangeMs: [Math.min(...p50Differences), Math.max(...p50Differences)],
    addedP50Percent: Math.round((addedP50Ms / podIP.p50MedianMs) * 100),
    requestsPerSecondRatio: median(rounds.map((r) => r.clusterIP.requestsPerSecond / r.podIP.requestsPerSecond)),
  };
}
