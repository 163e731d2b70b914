import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from './args.js';
import { DEFAULT_DATA_DIR } from './cluster/data-dir.js';

describe('parseCommandLine', () => {
  it('reads a command with its data dir and ports', () => {
    expect(
      parseCommandLine(['up', '--data-dir', '/tmp/c', '--port=16443', '--grpc-port', '16444', '--nats-port', '14222']),
    ).toEqual({
      kind: 'command',
      command: 'up',
      dataDir: '/tmp/c',
      ports: { apiserver: 16443, grpc: 16444, nats: 14222 },
      nodes: {},
      purge: false,
    });
    expect(parseCommandLine(['status'])).toEqual({
      kind: 'command',
      command: 'status',
      dataDir: DEFAULT_DATA_DIR,
      ports: {},
      nodes: {},
      purge: false,
    });
  });

  it('reads the node flags of up', () => {
    const line = parseCommandLine([
      'up',
      '--nodes',
      '2',
      '--runtime=fake',
      '--cluster-cidr',
      '10.244.224.0/22',
      '--bridge-prefix',
      'tkt',
    ]);
    expect(line).toMatchObject({
      nodes: { count: 2, runtime: 'fake', clusterCidr: '10.244.224.0/22', bridgePrefix: 'tkt' },
    });
  });

  it('reads --purge of down', () => {
    expect(parseCommandLine(['down', '--purge', '--data-dir', '/tmp/c'])).toMatchObject({
      command: 'down',
      dataDir: '/tmp/c',
      purge: true,
    });
  });

  it('reads --pod-eviction-timeout of up, and refuses what is not a duration', () => {
    expect(parseCommandLine(['up', '--pod-eviction-timeout', '20s'])).toMatchObject({ podEvictionTimeout: '20s' });
    expect(() => parseCommandLine(['up', '--pod-eviction-timeout', 'soon'])).toThrow(
      '--pod-eviction-timeout must be a duration such as 30s or 5m, not "soon"',
    );
    expect(() => parseCommandLine(['down', '--pod-eviction-timeout', '20s'])).toThrow(
      '--pod-eviction-timeout is a flag of "tkube up"',
    );
  });

  it('answers help for no command or --help', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['up', '-h'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['start'], /unknown command "start"/],
    [['up', 'now'], /unexpected argument "now"/],
    [['up', '--port', '0'], /--port must be a port/],
    [['up', '--nats-port', 'x'], /--nats-port must be a port/],
    [['down', '--port', '1'], /--port is a flag of "tkube up"/],
    [['up', '--colour'], /colour/],
    [['up', '--nodes', '0'], /--nodes must be 1 or more/],
    [['up', '--nodes', 'two'], /--nodes must be a whole number/],
    [['up', '--runtime', 'containerd'], /--runtime must be docker or fake, not "containerd"/],
    [['up', '--cluster-cidr', '10.244.248.0/22', '--nodes', '5'], /holds 4 node block\(s\) of \/24, not 5/],
    [['up', '--cluster-cidr', '10.244.1.0/16'], /--cluster-cidr must be an IPv4 network block/],
    [['up', '--cluster-cidr', '10.96.0.0/16'], /overlaps the Service range 10\.96\.0\.0\/12/],
    [['up', '--bridge-prefix', 'a-very-long-prefix'], /longer than 15 characters/],
    [['down', '--nodes', '2'], /are flags of "tkube up"/],
    [['up', '--purge'], /--purge is a flag of "tkube down"/],
    [['down', '--purge=yes'], /purge/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });
});
