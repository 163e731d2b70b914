import { FlagError } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

function configOf(argv: string[]) {
  const parsed = parseFlags(argv);
  if (parsed.help) throw new Error('expected a configuration');
  return parsed.config;
}

describe('parseFlags', () => {
  it('defaults as kube-scheduler: default-scheduler, adaptive sampling, leader election on a kube-system Lease', () => {
    expect(configOf([])).toMatchObject({
      schedulerName: 'default-scheduler',
      percentageOfNodesToScore: 0,
      leaderElect: true,
      leaseName: 'kube-scheduler',
      leaseNamespace: 'kube-system',
      leaseDurationMs: 10_000,
      renewDeadlineMs: 8_000,
      retryPeriodMs: 1_000,
      healthzBindAddress: '127.0.0.1:10259',
    });
    expect(configOf([]).identity).toMatch(/_\d+$/);
  });

  it('reads every flag', () => {
    expect(
      configOf([
        '--apiserver-grpc=127.0.0.1:7000',
        '--token-file',
        '/tmp/tokens.csv',
        '--scheduler-name',
        'other',
        '--percentage-of-nodes-to-score=30',
        '--leader-elect=false',
        '--lease-name=s',
        '--lease-namespace=ns',
        '--identity=me',
        '--healthz-bind-address=127.0.0.1:0',
        '--log-level=debug',
      ]),
    ).toMatchObject({
      apiserverGrpc: '127.0.0.1:7000',
      tokenFile: '/tmp/tokens.csv',
      schedulerName: 'other',
      percentageOfNodesToScore: 30,
      leaderElect: false,
      leaseName: 's',
      leaseNamespace: 'ns',
      identity: 'me',
      healthzBindAddress: '127.0.0.1:0',
      logLevel: 'debug',
    });
  });

  it('refuses what cannot run', () => {
    expect(() => parseFlags(['--percentage-of-nodes-to-score=101'])).toThrow(FlagError);
    expect(() => parseFlags(['--leader-elect=yes'])).toThrow(/true or false/);
    expect(() => parseFlags(['--leader-elect-renew-deadline=20'])).toThrow(/shorter than/);
    expect(() => parseFlags(['--healthz-bind-address=10259'])).toThrow(/host:port/);
    expect(configOf(['--healthz-bind-address=']).healthzBindAddress).toBeUndefined();
    expect(() => parseFlags(['--nope'])).toThrow(FlagError);
  });
});
