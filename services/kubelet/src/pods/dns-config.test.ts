import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod, PodSpec } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { DnsConfigurer, type DnsSettings, podDnsConfig } from './dns-config.js';
import { parseResolvConf } from './resolv-conf.js';

const host = parseResolvConf(
  '# the node\nnameserver 10.0.0.2\nnameserver 127.0.0.53\nsearch corp.example.\noptions edns0 ndots:2\n',
);
const settings: DnsSettings = {
  clusterDns: ['10.96.0.10'],
  clusterDomain: 'cluster.local',
  resolvConf: '/etc/resolv.conf',
  nodeIps: ['192.168.1.5'],
};
const CLUSTER_SEARCHES = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

function pod(spec: Partial<PodSpec> = {}): Pod {
  return { metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { containers: [], ...spec } };
}

describe('parseResolvConf', () => {
  it('accumulates nameservers and options, keeps the last search line, drops comments and trailing dots', () => {
    expect(host).toEqual({
      servers: ['10.0.0.2', '127.0.0.53'],
      searches: ['corp.example'],
      options: ['edns0', 'ndots:2'],
    });
    const text = 'search a b\nsearch c . d.\n; comment\noptions ndots:1 rotate\noptions ndots:3\nnameserver\n';
    expect(parseResolvConf(text)).toEqual({ servers: [], searches: ['c', 'd'], options: ['ndots:3', 'rotate'] });
  });
});

describe('podDnsConfig', () => {
  it('ClusterFirst (the default): only the cluster DNS, the cluster searches then the host ones, ndots:5', () => {
    for (const dnsPolicy of [undefined, 'ClusterFirst']) {
      const { config, warnings } = podDnsConfig(pod(dnsPolicy ? { dnsPolicy } : {}), settings, host);
      expect(config).toEqual({
        servers: ['10.96.0.10'],
        searches: [...CLUSTER_SEARCHES, 'corp.example'],
        options: ['ndots:5'],
      });
      expect(warnings).toEqual([]);
    }
  });

  it('uses the default namespace and no cluster searches without a cluster domain', () => {
    const noNamespace: Pod = { spec: { containers: [] } };
    expect(podDnsConfig(noNamespace, settings, host).config.searches[0]).toBe('default.svc.cluster.local');
    expect(podDnsConfig(pod(), { ...settings, clusterDomain: '' }, host).config.searches).toEqual(['corp.example']);
  });

  it('Default: the host file, without loopback servers off the host network', () => {
    expect(podDnsConfig(pod({ dnsPolicy: 'Default' }), settings, host).config).toEqual({
      servers: ['10.0.0.2'],
      searches: ['corp.example'],
      options: ['edns0', 'ndots:2'],
    });
    const onHost = podDnsConfig(pod({ dnsPolicy: 'Default', hostNetwork: true }), settings, host).config;
    expect(onHost.servers).toEqual(['10.0.0.2', '127.0.0.53']);
  });

  it('host network: ClusterFirst means the host file, ClusterFirstWithHostNet the cluster', () => {
    const clusterFirst = podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirst' }), settings, host);
    expect(clusterFirst.config.servers).toEqual(['10.0.0.2', '127.0.0.53']);
    expect(clusterFirst.config.options).toEqual(['edns0', 'ndots:2']);
    const withHostNet = podDnsConfig(pod({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }), settings, host);
    expect(withHostNet.config).toEqual({
      servers: ['10.96.0.10'],
      searches: [...CLUSTER_SEARCHES, 'corp.example'],
      options: ['ndots:5'],
    });
  });

  it('falls back from ClusterFirst to Default without --cluster-dns, warning the pod and the node', () => {
    const { config, warnings } = podDnsConfig(pod(), { ...settings, clusterDns: [] }, host);
    expect(config).toEqual({ servers: ['10.0.0.2'], searches: ['corp.example'], options: ['edns0', 'ndots:2'] });
    const fallback =
      'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. ' +
      'Falling back to "Default" policy.';
    expect(warnings).toEqual([
      { reason: 'MissingClusterDNS', message: `pod: "web_shop(u1)". ${fallback}`, alsoOnNode: fallback },
    ]);
  });

  it('gives loopback and search "." with no resolver file (--resolv-conf "")', () => {
    const none = { servers: [], searches: [], options: [] };
    const noFile = { ...settings, resolvConf: '' };
    expect(podDnsConfig(pod({ dnsPolicy: 'Default' }), noFile, none).config).toEqual({
      servers: ['127.0.0.1'],
      searches: ['.'],
      options: [],
    });
    expect(
      podDnsConfig(pod({ dnsPolicy: 'Default' }), { ...noFile, nodeIps: ['fd00::5'] }, none).config.servers,
    ).toEqual(['::1']);
  });

  it('None: nothing but spec.dnsConfig', () => {
    const spec: Partial<PodSpec> = {
      dnsPolicy: 'None',
      dnsConfig: {
        nameservers: ['1.1.1.1'],
        searches: ['my.dns.search.suffix'],
        options: [{ name: 'ndots', value: '2' }],
      },
    };
    expect(podDnsConfig(pod(spec), settings, host).config).toEqual({
      servers: ['1.1.1.1'],
      searches: ['my.dns.search.suffix'],
      options: ['ndots:2'],
    });
  });

  it('appends spec.dnsConfig without repeats; its options replace same-named ones', () => {
    const spec: Partial<PodSpec> = {
      dnsConfig: {
        nameservers: ['10.96.0.10', '8.8.8.8'],
        searches: ['svc.cluster.local', 'extra.example'],
        options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }, { name: 'timeout', value: '' }],
      },
    };
    expect(podDnsConfig(pod(spec), settings, host).config).toEqual({
      servers: ['10.96.0.10', '8.8.8.8'],
      searches: [...CLUSTER_SEARCHES, 'corp.example', 'extra.example'],
      options: ['ndots:1', 'edns0', 'timeout'],
    });
  });

  it('keeps 3 nameservers and warns with the line applied', () => {
    const spec: Partial<PodSpec> = { dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9'] } };
    const { config, warnings } = podDnsConfig(pod(spec), settings, host);
    expect(config.servers).toEqual(['10.96.0.10', '1.1.1.1', '8.8.8.8']);
    expect(warnings).toEqual([
      {
        reason: 'DNSConfigForming',
        message:
          'Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 8.8.8.8',
      },
    ]);
  });

  it('keeps 32 search domains, drops those over 253 characters, and cuts the line to 2048 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const tooMany = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { searches: many } }), settings, host);
    expect(tooMany.config.searches).toEqual(many.slice(0, 32));
    expect(tooMany.warnings[0]?.message).toBe(
      `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${many.slice(0, 32).join(' ')}`,
    );

    const long = `${'a'.repeat(250)}.example`;
    const dropped = podDnsConfig(
      pod({ dnsPolicy: 'None', dnsConfig: { searches: ['ok.example', long] } }),
      settings,
      host,
    );
    expect(dropped.config.searches).toEqual(['ok.example']);
    expect(dropped.warnings).toHaveLength(1);

    // 10 domains of 250 characters: 2509 with the spaces; 8 fit (2007).
    const wide = Array.from({ length: 10 }, (_, i) => `${String(i).repeat(240)}.example.x`);
    const cut = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { searches: wide } }), settings, host);
    expect(cut.config.searches).toEqual(wide.slice(0, 8));
    expect(cut.config.searches.join(' ').length).toBeLessThanOrEqual(2048);
  });
});

describe('DnsConfigurer', () => {
  it('reads the resolver file at each call, and fails when it cannot', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubelet-dns-'));
    try {
      const file = join(dir, 'resolv.conf');
      await writeFile(file, 'nameserver 10.1.1.1\n');
      const configurer = new DnsConfigurer({ ...settings, resolvConf: file });
      expect((await configurer.podDns(pod({ dnsPolicy: 'Default' }))).config.servers).toEqual(['10.1.1.1']);
      await writeFile(file, 'nameserver 10.2.2.2\nsearch lan\n');
      expect((await configurer.podDns(pod())).config.searches).toEqual([...CLUSTER_SEARCHES, 'lan']);
      expect((await configurer.podDns(pod({ dnsPolicy: 'Default' }))).config.servers).toEqual(['10.2.2.2']);
      await expect(new DnsConfigurer({ ...settings, resolvConf: join(dir, 'missing') }).podDns(pod())).rejects.toThrow(
        /ENOENT/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
