import { firstToken } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config.js';
import { FlagError, parseFlags } from './flags.js';

describe('parseFlags', () => {
  it('gives the defaults of the real kubelet where they exist', () => {
    const parsed = parseFlags([]);
    expect(parsed).toEqual({ help: false, config: DEFAULT_CONFIG });
    expect(DEFAULT_CONFIG).toMatchObject({ port: 10250, maxPods: 110, nodeLeaseDurationSeconds: 40 });
  });

  it('reads every flag in both spellings', () => {
    const parsed = parseFlags([
      '--node-name=node-1',
      '--apiserver-grpc',
      '127.0.0.1:7000',
      '--token-file=/tmp/tokens.csv',
      '--container-runtime-endpoint=unix:///tmp/cri.sock',
      '--network-plugin-endpoint=unix:///tmp/cni.sock',
      '--pod-cidr=10.244.3.0/24',
      '--root-dir=/tmp/kubelet',
      '--port=0',
      '--node-ip=127.0.0.2',
      '--max-pods=20',
      '--node-lease-duration=20',
      '--log-level=debug',
    ]);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.config).toMatchObject({
      nodeName: 'node-1',
      apiserverGrpc: '127.0.0.1:7000',
      tokenFile: '/tmp/tokens.csv',
      containerRuntimeEndpoint: 'unix:///tmp/cri.sock',
      networkPluginEndpoint: 'unix:///tmp/cni.sock',
      podCidr: '10.244.3.0/24',
      rootDir: '/tmp/kubelet',
      port: 0,
      nodeIp: '127.0.0.2',
      maxPods: 20,
      nodeLeaseDurationSeconds: 20,
      logLevel: 'debug',
    });
  });

  it('reads the DNS flags: --cluster-dns repeated or as a list, --cluster-domain, --resolv-conf', () => {
    const parsed = parseFlags([
      '--cluster-dns=10.96.0.10,10.96.0.11',
      '--cluster-dns',
      '10.96.0.12',
      '--cluster-dns=10.96.0.10',
      '--cluster-domain=corp.local.',
      '--resolv-conf=/run/systemd/resolve/resolv.conf',
    ]);
    if (parsed.help) throw new Error('unexpected help');
    expect(parsed.config).toMatchObject({
      clusterDns: ['10.96.0.10', '10.96.0.11', '10.96.0.12'],
      clusterDomain: 'corp.local',
      resolvConf: '/run/systemd/resolve/resolv.conf',
    });
    expect(DEFAULT_CONFIG).toMatchObject({
      clusterDns: [],
      clusterDomain: 'cluster.local',
      resolvConf: '/etc/resolv.conf',
    });
    const noHostDns = parseFlags(['--resolv-conf=']);
    if (noHostDns.help) throw new Error('unexpected help');
    expect(noHostDns.config.resolvConf).toBe('');
  });

  it.each([
    [['--cluster-dns=dns.local'], /--cluster-dns/],
    [['--cluster-domain=Cluster_Local'], /--cluster-domain/],
    [['--node-name=Node_1'], /--node-name/],
    [['--pod-cidr=10.244.0.0'], /--pod-cidr/],
    [['--container-runtime-endpoint=/run/x.sock'], /unix socket/],
    [['--port=70000'], /--port/],
    [['--node-ip=localhost'], /--node-ip/],
    [['--bogus'], /bogus/],
    [['extra'], /unexpected argument/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv)).toThrow(FlagError);
    expect(() => parseFlags(argv)).toThrow(message);
  });
});

describe('firstToken', () => {
  it('takes the first column of the first line that is not a comment', () => {
    expect(firstToken('# tokens\n\n"abc123",admin,1,"system:masters"\nother,user\n')).toBe('abc123');
    expect(firstToken('# nothing\n')).toBeUndefined();
  });
});
