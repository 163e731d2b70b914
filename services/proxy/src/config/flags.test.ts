import { FlagError, formatCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

function config(argv: string[]) {
  const parsed = parseFlags(argv);
  if (parsed.help) throw new Error('help');
  return parsed.config;
}

describe('parseFlags', () => {
  it("takes kube-proxy's flags and needs --instance", () => {
    const c = config([
      '--instance=cluster1/node-a',
      '--apiserver-grpc=127.0.0.1:7000',
      '--token-file=/tmp/tokens.csv',
      '--hostname-override=node-a',
      '--cluster-cidr=10.244.0.0/16',
      '--nodeport-addresses=127.0.0.1, 192.0.2.0/24',
      '--healthz-bind-address=127.0.0.1:20256',
      '--log-level=debug',
    ]);
    expect(c).toMatchObject({
      instance: 'cluster1/node-a',
      apiserverGrpc: '127.0.0.1:7000',
      tokenFile: '/tmp/tokens.csv',
      hostnameOverride: 'node-a',
      masqueradeAll: false,
      cleanup: false,
      healthzBindAddress: '127.0.0.1:20256',
      logLevel: 'debug',
    });
    expect(c.clusterCidr && formatCidr(c.clusterCidr)).toBe('10.244.0.0/16');
    expect(c.nodePortAddresses.map(formatCidr)).toEqual(['127.0.0.1/32', '192.0.2.0/24']);
    expect(() => parseFlags([])).toThrow(/--instance is required/);
  });

  it("defaults: the local apiserver, no cluster CIDR, NodePorts on 127.0.0.1 and the Node's addresses", () => {
    const c = config(['--instance', 'a']);
    expect(c.apiserverGrpc).toBe('127.0.0.1:6444');
    expect(c.clusterCidr).toBeUndefined();
    expect(c.nodePortAddresses).toEqual([]);
    expect(c.hostnameOverride).not.toBe('');
    expect(c.healthzBindAddress).toBe('127.0.0.1:10256');
    expect(config(['--instance', 'a', '--cleanup', '--masquerade-all'])).toMatchObject({
      cleanup: true,
      masqueradeAll: true,
    });
  });

  it('refuses what it cannot use', () => {
    for (const argv of [
      ['--instance', 'has space'],
      ['--instance', 'a"b'],
      ['--instance', 'a', '--cluster-cidr', '10.244.0.1/16'],
      ['--instance', 'a', '--cluster-cidr', 'fd00::/64'],
      ['--instance', 'a', '--nodeport-addresses', '127.0.0.1,nonsense'],
      ['--instance', 'a', '--apiserver-grpc', 'nohost'],
      ['--instance', 'a', '--bogus'],
      ['--instance', 'a', '--healthz-bind-address', '10256'],
    ]) {
      expect(() => parseFlags(argv), argv.join(' ')).toThrow(FlagError);
    }
  });

  it('answers --help', () => {
    expect(parseFlags(['--help'])).toEqual({ help: true });
  });
});
