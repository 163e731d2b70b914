/** The scheduler's configuration, as its flags set it. */
import { hostname } from 'node:os';
import type { LogLevel } from '@tkube/process';

export interface SchedulerConfig {
  apiserverGrpc: string;
  tokenFile: string | undefined;
  schedulerName: string;
  /** 0: kube's adaptive default. */
  percentageOfNodesToScore: number;
  leaderElect: boolean;
  leaseName: string;
  leaseNamespace: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Where /healthz, /readyz and /metrics are served (plain HTTP); undefined: nowhere. */
  healthzBindAddress: string | undefined;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: SchedulerConfig = {
  apiserverGrpc: '127.0.0.1:6444',
  tokenFile: undefined,
  schedulerName: 'default-scheduler',
  percentageOfNodesToScore: 0,
  leaderElect: true,
  leaseName: 'kube-scheduler',
  leaseNamespace: 'kube-system',
  identity: `${hostname()}_${process.pid}`,
  // Shorter than kube's 15/10/2 s so that a standby takes over within 15 s of a crash of
  // the leader: the Lease's duration, plus up to two tries of the standby with jitter.
  leaseDurationMs: 10_000,
  renewDeadlineMs: 8_000,
  retryPeriodMs: 1_000,
  // kube-scheduler's port (where it serves HTTPS); tkube serves plain HTTP on loopback.
  healthzBindAddress: '127.0.0.1:10259',
  logLevel: 'info',
};
