import { formatCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

describe('parseFlags', () => {
  it('fills the defaults around the required pod CIDR', () => {
    const config = parseFlags(['--pod-cidr', '10.244.3.0/24']);
    expect(config.listen).toBe('unix:///run/tkube/cni-bridge.sock');
    expect(config.stateDir).toBe('/var/lib/tkube/cni');
    expect(config.network.bridge).toBe('tkube0');
    expect(formatCidr(config.network.podCidr)).toBe('10.244.3.0/24');
    expect(formatCidr(config.network.clusterCidr)).toBe('10.244.0.0/16');
    expect(config.network.mtu).toBe(1500);
    expect(config.network.hairpin).toBe(true);
  });

  it('takes every flag', () => {
    const config = parseFlags([
      '--listen',
      'unix:///tmp/x.sock',
      '--bridge',
      'tkt1',
      '--pod-cidr',
      '10.9.1.0/26',
      '--cluster-cidr',
      '10.9.0.0/16',
      '--state-dir',
      '/tmp/state',
      '--mtu',
      '1400',
      '--hairpin',
      'false',
    ]);
    expect(config.listen).toBe('unix:///tmp/x.sock');
    expect(config.network).toMatchObject({ bridge: 'tkt1', mtu: 1400, hairpin: false });
    expect(config.stateDir).toBe('/tmp/state');
  });

  it.each([
    [[], /--pod-cidr is required/],
    [['--pod-cidr', '10.244.1.5/24'], /not an IPv4 network block/],
    [['--pod-cidr', '10.244.1.0/31'], /not an IPv4 network block/],
    [['--pod-cidr', '10.245.1.0/24'], /not inside --cluster-cidr/],
    [['--pod-cidr', '10.244.1.0/24', '--bridge', 'a-bridge-name-too-long'], /invalid bridge name/],
    [['--pod-cidr', '10.244.1.0/24', '--mtu', '9x'], /--mtu/],
    [['--pod-cidr', '10.244.1.0/24', '--hairpin', 'yes'], /--hairpin/],
    [['--pod-cidr', '10.244.1.0/24', '--state-dir', 'relative'], /--state-dir/],
    [['--pod-cidr', '10.244.1.0/24', '--bogus', 'x'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(message);
  });
});
