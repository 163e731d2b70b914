import { FlagError } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

function configOf(argv: string[]) {
  const parsed = parseFlags(argv);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
}

describe('parseFlags', () => {
  it('defaults to every controller, leader-elected on kube-system/kube-controller-manager', () => {
    const config = configOf([]);
    expect(config.controllers).toEqual(['*']);
    expect(config.leaderElect).toBe(true);
    expect(`${config.leaseNamespace}/${config.leaseName}`).toBe('kube-system/kube-controller-manager');
    expect(config.podEvictionTimeoutMs).toBeUndefined();
    expect(config.healthzBindAddress).toBe('127.0.0.1:10257');
  });

  it('reads the flags', () => {
    const config = configOf([
      '--apiserver-grpc=127.0.0.1:7000',
      '--token-file=/t.csv',
      '--controllers=*,-nodeipam',
      '--leader-elect=false',
      '--pod-eviction-timeout=20s',
      '--cluster-cidr=10.244.200.0/22',
      '--node-cidr-mask-size=25',
      '--healthz-bind-address=',
      '--log-level=debug',
    ]);
    expect(config).toMatchObject({
      apiserverGrpc: '127.0.0.1:7000',
      tokenFile: '/t.csv',
      controllers: ['*', '-nodeipam'],
      leaderElect: false,
      podEvictionTimeoutMs: 20_000,
      clusterCidr: '10.244.200.0/22',
      nodeCidrMaskSize: 25,
      healthzBindAddress: undefined,
      logLevel: 'debug',
    });
  });

  it('refuses a malformed duration or boolean', () => {
    expect(() => parseFlags(['--pod-eviction-timeout=soon'])).toThrow(FlagError);
    expect(() => parseFlags(['--leader-elect=yes'])).toThrow(FlagError);
  });

  it('refuses a cluster CIDR that is not one, or node blocks larger than it', () => {
    expect(() => parseFlags(['--cluster-cidr=10.244.0.1/16'])).toThrow(
      '--cluster-cidr must be an IPv4 CIDR such as 10.244.0.0/16, not "10.244.0.1/16"',
    );
    expect(() => parseFlags(['--cluster-cidr=10.244.200.0/24', '--node-cidr-mask-size=23'])).toThrow(
      '--node-cidr-mask-size 23 is a larger block than --cluster-cidr 10.244.200.0/24',
    );
  });
});
