import { FlagError } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags.js';

function configOf(argv: string[]) {
  const parsed = parseFlags(argv);
  if (parsed.help) throw new Error('expected a configuration');
  return parsed.config;
}

describe('parseFlags', () => {
  it('needs only --listen-address to serve, with cluster.local, port 53, kube-system and health on 8080 as defaults', () => {
    expect(configOf(['--listen-address', '10.96.0.10'])).toEqual({
      kind: 'serve',
      apiserverGrpc: '127.0.0.1:6444',
      tokenFile: undefined,
      clusterDomain: 'cluster.local',
      listenAddress: '10.96.0.10',
      port: 53,
      interfaceName: undefined,
      serviceNamespace: 'kube-system',
      healthzBindAddress: '127.0.0.1:8080',
      logLevel: 'info',
    });
  });

  it('reads every flag', () => {
    expect(
      configOf([
        '--apiserver-grpc=127.0.0.1:7000',
        '--token-file',
        '/tmp/tokens.csv',
        '--cluster-domain=Example.Org.',
        '--listen-address=10.96.0.53',
        '--port=5353',
        '--interface=tkube-dns0',
        '--service-namespace=dns',
        '--healthz-bind-address=',
        '--log-level=debug',
      ]),
    ).toEqual({
      kind: 'serve',
      apiserverGrpc: '127.0.0.1:7000',
      tokenFile: '/tmp/tokens.csv',
      clusterDomain: 'example.org',
      listenAddress: '10.96.0.53',
      port: 5353,
      interfaceName: 'tkube-dns0',
      serviceNamespace: 'dns',
      healthzBindAddress: undefined,
      logLevel: 'debug',
    });
  });

  it('asks for the listen address when it is missing', () => {
    expect(() => parseFlags([])).toThrow(/--listen-address is required/);
  });

  it.each([
    [['--listen-address=fd00::10'], /IPv4/],
    [['--listen-address=10.96.0.300'], /IPv4/],
    [['--listen-address=10.96.0.10', '--interface=a-name-far-too-long'], /1 to 15/],
    [['--listen-address=10.96.0.10', '--interface=a/b'], /1 to 15/],
    [['--listen-address=10.96.0.10', '--healthz-bind-address=8080'], /host:port/],
    [['--listen-address=10.96.0.10', '--cluster-domain=bad_domain'], /domain name/],
    [['--listen-address=10.96.0.10', '--port=70000'], /between 0 and 65535/],
    [['--listen-address=10.96.0.10', '--service-namespace=Kube'], /DNS label/],
    [['--listen-address=10.96.0.10', '--forward=8.8.8.8'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(FlagError);
    expect(() => parseFlags(argv)).toThrow(message);
  });

  it('--cleanup needs only the interface', () => {
    expect(configOf(['--cleanup', '--interface', 'tkube-dns0'])).toEqual({
      kind: 'cleanup',
      interfaceName: 'tkube-dns0',
      logLevel: 'info',
    });
    expect(() => parseFlags(['--cleanup'])).toThrow(/--cleanup needs --interface/);
  });

  it('answers help', () => {
    expect(parseFlags(['-h'])).toEqual({ help: true });
  });
});
