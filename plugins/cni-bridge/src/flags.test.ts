import { formatCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { parseFlags, parseTeardownFlags, USAGE, wantsTeardown } from './flags.js';

describe('parseFlags', () => {
  it('fills the defaults around the pod CIDR', () => {
    const config = parseFlags(['--pod-cidr', '10.244.3.0/24']);
    expect(config.listen).toBe('unix:///run/tkube/cni-bridge.sock');
    expect(config.stateDir).toBe('/var/lib/tkube/cni');
    expect(config.network.bridge).toBe('tkube0');
    expect(config.podCidr && formatCidr(config.podCidr)).toBe('10.244.3.0/24');
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

  it('leaves the pod CIDR to be learnt when --pod-cidr is absent', () => {
    const config = parseFlags(['--cluster-cidr', '10.9.0.0/16']);
    expect(config.podCidr).toBeUndefined();
    expect(formatCidr(config.network.clusterCidr)).toBe('10.9.0.0/16');
    expect(USAGE).toMatch(/^Usage: tkube-cni-bridge \[--pod-cidr 10\.244\.N\.0\/24\] \[options\]/);
    expect(USAGE).toContain("with the first Add's ipRanges capability");
  });

  it.each([
    [['--cluster-cidr', '10.9.0.0/33'], /--cluster-cidr 10\.9\.0\.0\/33 is not an IPv4 network block/],
    [['--pod-cidr', '10.244.1.5/24'], /not an IPv4 network block/],
    [['--pod-cidr', '10.244.1.0/31'], /not an IPv4 network block/],
    [['--pod-cidr', '10.245.1.0/24'], /^--pod-cidr 10\.245\.1\.0\/24 is not inside --cluster-cidr 10\.244\.0\.0\/16$/],
    [['--pod-cidr', '10.244.1.0/24', '--bridge', 'a-bridge-name-too-long'], /invalid bridge name/],
    [['--pod-cidr', '10.244.1.0/24', '--mtu', '9x'], /--mtu/],
    [['--pod-cidr', '10.244.1.0/24', '--hairpin', 'yes'], /--hairpin/],
    [['--pod-cidr', '10.244.1.0/24', '--state-dir', 'relative'], /--state-dir/],
    [['--pod-cidr', '10.244.1.0/24', '--bogus', 'x'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(message);
  });
});

describe('parseTeardownFlags', () => {
  it('needs only the bridge', () => {
    expect(wantsTeardown(['--bridge', 'tkt1', '--teardown'])).toBe(true);
    expect(wantsTeardown(['--pod-cidr', '10.244.1.0/24'])).toBe(false);
    expect(parseTeardownFlags(['--teardown', '--bridge', 'tkt1'])).toEqual({
      bridge: 'tkt1',
      podCidr: undefined,
      stateDir: '/var/lib/tkube/cni',
      output: 'text',
    });
  });

  it('takes the pod CIDR, the state dir and the output format', () => {
    const config = parseTeardownFlags([
      '--teardown',
      '--bridge',
      'tkt1',
      '--pod-cidr',
      '10.244.1.0/24',
      '--state-dir',
      '/tmp/state',
      '--output',
      'json',
    ]);
    expect(config).toMatchObject({ bridge: 'tkt1', stateDir: '/tmp/state', output: 'json' });
    expect(config.podCidr && formatCidr(config.podCidr)).toBe('10.244.1.0/24');
  });

  it.each([
    [['--teardown'], /--teardown needs --bridge/],
    [['--teardown', '--bridge', 'a-bridge-name-too-long'], /invalid bridge name/],
    [['--teardown', '--bridge', 'tkt1', '--pod-cidr', '10.244.1.5/24'], /not an IPv4 network block/],
    [['--teardown', '--bridge', 'tkt1', '--state-dir', 'relative'], /--state-dir/],
    [['--teardown', '--bridge', 'tkt1', '--output', 'yaml'], /--output must be text or json/],
    [['--teardown', '--bridge', 'tkt1', '--listen', 'unix:///x.sock'], /listen/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseTeardownFlags(argv)).toThrow(message);
  });
});
