import { formatCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { FlagError, parseFlags } from './flags.js';

function config(argv: string[]) {
  const parsed = parseFlags(argv);
  if (parsed.help) throw new Error('unexpected help');
  return parsed.config;
}

describe('parseFlags', () => {
  it('starts from the defaults of a one-machine cluster', () => {
    expect(config([])).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      storage: 'nats',
      natsServers: ['nats://127.0.0.1:4222'],
      bindAddress: '127.0.0.1',
      securePort: 6443,
      grpcAddress: '127.0.0.1:6444',
      logLevel: 'info',
    });
  });

  it('reads every flag in both spellings', () => {
    const c = config([
      '--nats-servers=nats://10.0.0.1:4222, nats://10.0.0.2:4222',
      '--bucket',
      'kube',
      '--replicas=3',
      '--history=5',
      '--bind-address',
      '::1',
      '--secure-port',
      '16443',
      '--grpc-address=unix:/run/tkube/api.sock',
      '--cert-dir',
      '/tmp/pki',
      '--token-file',
      '/tmp/tokens.csv',
      '--kubelet-token-file=/tmp/kubelet-tokens.csv',
      '--storage=memory',
      '--log-level',
      'debug',
      '--advertise-address=192.0.2.10',
      '--service-cluster-ip-range',
      '10.97.16.0/20',
      '--service-node-port-range=30100-30249',
    ]);
    expect(c).toEqual({
      storage: 'memory',
      natsServers: ['nats://10.0.0.1:4222', 'nats://10.0.0.2:4222'],
      bucket: 'kube',
      replicas: 3,
      history: 5,
      bindAddress: '::1',
      securePort: 16443,
      grpcAddress: 'unix:/run/tkube/api.sock',
      certDir: '/tmp/pki',
      tokenFile: '/tmp/tokens.csv',
      kubeletTokenFile: '/tmp/kubelet-tokens.csv',
      logLevel: 'debug',
      advertiseAddress: '192.0.2.10',
      serviceClusterIPRange: { network: (10 * 2 ** 24 + 97 * 2 ** 16 + 16 * 2 ** 8) >>> 0, prefixLength: 20 },
      serviceNodePortRange: { min: 30100, max: 30249 },
    });
  });

  it("defaults the Service ranges to kube's and reads the node-port range in kube's spellings", () => {
    expect(formatCidr(config([]).serviceClusterIPRange)).toBe('10.96.0.0/12');
    expect(config([]).serviceNodePortRange).toEqual({ min: 30000, max: 32767 });
    expect(config([]).advertiseAddress).toBeUndefined();
    expect(config(['--service-node-port-range', '40000+100']).serviceNodePortRange).toEqual({ min: 40000, max: 40100 });
    expect(config(['--service-node-port-range', '31000']).serviceNodePortRange).toEqual({ min: 31000, max: 31000 });
    expect(formatCidr(config(['--service-cluster-ip-range=172.20.0.0/28']).serviceClusterIPRange)).toBe(
      '172.20.0.0/28',
    );
  });

  it('accepts host:port and [ipv6]:port gRPC addresses', () => {
    expect(config(['--grpc-address', '0.0.0.0:16444']).grpcAddress).toBe('0.0.0.0:16444');
    expect(config(['--grpc-address', '[::1]:6444']).grpcAddress).toBe('[::1]:6444');
  });

  it('asks for help', () => {
    expect(parseFlags(['--help'])).toEqual({ help: true });
    expect(parseFlags(['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--secure-port', 'http'], /--secure-port must be a whole number/],
    [['--secure-port', '70000'], /--secure-port must be between 1 and 65535/],
    [['--storage', 'etcd'], /--storage must be "memory" or "nats"/],
    [['--nats-servers', 'http://x:1'], /not a nats:\/\/ or tls:\/\/ URL/],
    [['--nats-servers', ','], /at least one URL/],
    [['--bind-address', 'localhost'], /--bind-address must be an IP address/],
    [['--grpc-address', '6444'], /--grpc-address must be host:port/],
    [['--grpc-address', 'unix:'], /needs a socket path/],
    [['--log-level', 'loud'], /--log-level must be one of/],
    [['--bucket', 'a.b'], /--bucket "a.b"/],
    [['--replicas', '0'], /--replicas must be between 1 and 5/],
    [['--history', '65'], /--history must be between 1 and 64/],
    [['--no-such-flag'], /no-such-flag/],
    [['stray'], /unexpected argument "stray"/],
    [['--cert-dir'], /cert-dir/],
    [['--kubelet-token-file', ' '], /--kubelet-token-file must not be empty/],
    [['--service-cluster-ip-range', '10.96.0.0'], /--service-cluster-ip-range "10.96.0.0" is not an IPv4 CIDR/],
    [['--service-cluster-ip-range', 'fd00::/108'], /is not an IPv4 CIDR/],
    [['--service-cluster-ip-range', '10.96.0.1/12'], /has host bits set; the network is 10\.96\.0\.0\/12/],
    [['--service-cluster-ip-range', '10.0.0.0/7'], /too large: the prefix length must be at least 8/],
    [['--service-cluster-ip-range', '10.96.0.0/29'], /too small: the prefix length must be at most 28/],
    [['--service-node-port-range', '30000:32767'], /--service-node-port-range "30000:32767" is not a port range/],
    [['--service-node-port-range', '32767-30000'], /ends before it starts/],
    [['--service-node-port-range', '60000-70000'], /must lie within 1-65535/],
    [['--service-node-port-range', '0-100'], /must lie within 1-65535/],
    [['--advertise-address', '::1'], /--advertise-address must be an IPv4 address/],
    [['--advertise-address', '0.0.0.0'], /address pods can reach/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(FlagError);
    expect(() => parseFlags(argv)).toThrow(message);
  });
});
