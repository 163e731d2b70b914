/**
 * The scheduler's command line, in kube-scheduler's spelling where it has one
 * (--leader-elect, --leader-elect-resource-name as --lease-name, --percentage-of-nodes-to-score).
 */
import {
  FlagError,
  grpcAddress,
  HEALTHZ_FLAG,
  healthzAddress,
  integerIn,
  logLevel,
  nonEmpty,
  type ParsedFlags,
  parseCommandLine,
  trueOrFalse,
} from '@tkube/process';
import { DEFAULT_CONFIG, type SchedulerConfig } from './config.js';

export const USAGE = `Usage: tkube-scheduler [flags]

  --apiserver-grpc ADDR                 the apiserver's gRPC address (default 127.0.0.1:6444)
  --token-file FILE                     the apiserver's token file; the first line's token is used
  --scheduler-name NAME                 schedule pods whose spec.schedulerName is NAME (default default-scheduler)
  --percentage-of-nodes-to-score N      stop filtering after N% of the nodes fit; 0 = kube's adaptive default (default 0)
  --leader-elect BOOL                   elect a leader on a Lease before scheduling (default true)
  --lease-name NAME                     the Lease (default kube-scheduler)
  --lease-namespace NS                  its namespace (default kube-system)
  --identity ID                         this candidate's name in the Lease (default hostname_pid)
  --leader-elect-lease-duration SECONDS how long a Lease holds without renewal (default 10)
  --leader-elect-renew-deadline SECONDS how long the leader tries to renew before giving up (default 8)
  --leader-elect-retry-period SECONDS   how often candidates try (default 1)
  --healthz-bind-address HOST:PORT      serve /healthz, /readyz (caches synced) and /metrics there, plain HTTP;
                                        "" for nowhere (default 127.0.0.1:10259)
  --log-level LEVEL                     fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help                            print this help`;

const string = { type: 'string' } as const;
const OPTIONS = {
  'apiserver-grpc': string,
  'token-file': string,
  'scheduler-name': string,
  'percentage-of-nodes-to-score': string,
  'leader-elect': string,
  'lease-name': string,
  'lease-namespace': string,
  identity: string,
  'leader-elect-lease-duration': string,
  'leader-elect-renew-deadline': string,
  'leader-elect-retry-period': string,
  [HEALTHZ_FLAG]: string,
  'log-level': string,
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseFlags(argv: readonly string[]): ParsedFlags<SchedulerConfig> {
  const v = parseCommandLine(argv, OPTIONS);
  if (v.help) return { help: true };
  const config: SchedulerConfig = { ...DEFAULT_CONFIG };
  if (v['apiserver-grpc'] !== undefined) config.apiserverGrpc = grpcAddress('--apiserver-grpc', v['apiserver-grpc']);
  if (v['token-file'] !== undefined) config.tokenFile = nonEmpty('--token-file', v['token-file']);
  if (v['scheduler-name'] !== undefined) config.schedulerName = nonEmpty('--scheduler-name', v['scheduler-name']);
  if (v['percentage-of-nodes-to-score'] !== undefined) {
    config.percentageOfNodesToScore = integerIn(
      '--percentage-of-nodes-to-score',
      v['percentage-of-nodes-to-score'],
      0,
      100,
    );
  }
  if (v['leader-elect'] !== undefined) config.leaderElect = trueOrFalse('--leader-elect', v['leader-elect']);
  if (v['lease-name'] !== undefined) config.leaseName = nonEmpty('--lease-name', v['lease-name']);
  if (v['lease-namespace'] !== undefined) config.leaseNamespace = nonEmpty('--lease-namespace', v['lease-namespace']);
  if (v.identity !== undefined) config.identity = nonEmpty('--identity', v.identity);
  const seconds = (flag: string, value: string | undefined, fallback: number) =>
    value === undefined ? fallback : integerIn(flag, value, 1, 3600) * 1000;
  config.leaseDurationMs = seconds(
    '--leader-elect-lease-duration',
    v['leader-elect-lease-duration'],
    config.leaseDurationMs,
  );
  config.renewDeadlineMs = seconds(
    '--leader-elect-renew-deadline',
    v['leader-elect-renew-deadline'],
    config.renewDeadlineMs,
  );
  config.retryPeriodMs = seconds('--leader-elect-retry-period', v['leader-elect-retry-period'], config.retryPeriodMs);
  if (config.renewDeadlineMs >= config.leaseDurationMs) {
    throw new FlagError('--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration');
  }
  if (config.retryPeriodMs >= config.renewDeadlineMs) {
    throw new FlagError('--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline');
  }
  const healthz = v[HEALTHZ_FLAG];
  if (healthz !== undefined) config.healthzBindAddress = healthzAddress(`--${HEALTHZ_FLAG}`, healthz);
  if (v['log-level'] !== undefined) config.logLevel = logLevel('--log-level', v['log-level']);
  return { help: false, config };
}
