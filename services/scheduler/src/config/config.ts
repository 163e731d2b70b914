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
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
  logLevel: 'info',
};
