/**
 * The sandbox's DNS configuration by the pod's dnsPolicy (kube's pkg/kubelet/network/dns):
 * Default and (until cluster DNS exists, issue 6) ClusterFirst use the host's resolv.conf;
 * None uses only the pod's dnsConfig, which is merged in for every policy. Loopback
 * nameservers of the host are dropped: they do not answer inside a pod's network namespace.
 */
import { readFileSync } from 'node:fs';
import type { Pod } from '@tkube/api';
import type { DNSConfig } from '@tkube/api/cri';

export interface HostResolvConf {
  servers: string[];
  searches: string[];
  options: string[];
}

export function parseResolvConf(text: string): HostResolvConf {
  const conf: HostResolvConf = { servers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const fields = line
      .replace(/[#;].*$/, '')
      .trim()
      .split(/\s+/);
    const [key, ...values] = fields;
    if (key === 'nameserver' && values[0]) conf.servers.push(values[0]);
    else if (key === 'search') conf.searches = values;
    else if (key === 'options') conf.options.push(...values);
  }
  return conf;
}

export function readHostResolvConf(path = '/etc/resolv.conf'): HostResolvConf {
  try {
    const conf = parseResolvConf(readFileSync(path, 'utf8'));
    conf.servers = conf.servers.filter((s) => !s.startsWith('127.') && s !== '::1');
    return conf;
  } catch {
    return { servers: [], searches: [], options: [] };
  }
}

export function podDnsConfig(pod: Pod, host: HostResolvConf): DNSConfig {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const base: DNSConfig =
    policy === 'None'
      ? { servers: [], searches: [], options: [] }
      : { servers: [...host.servers], searches: [...host.searches], options: [...host.options] };
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    base.servers = unique([...base.servers, ...(extra.nameservers ?? [])]);
    base.searches = unique([...base.searches, ...(extra.searches ?? [])]);
    const options = new Map(base.options.map((o) => [o.split(':')[0] ?? o, o]));
    for (const option of extra.options ?? []) {
      options.set(
        option.name ?? '',
        option.value !== undefined ? `${option.name}:${option.value}` : (option.name ?? ''),
      );
    }
    base.options = [...options.values()];
  }
  return base;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
