/**
 * A pod's DNS configuration, as kube's kubelet forms it (pkg/kubelet/network/dns GetPodDNS)
 * and hands it to the runtime in PodSandboxConfig.dns_config:
 * - ClusterFirst (the default; ClusterFirstWithHostNet for hostNetwork pods): the cluster
 *   DNS servers only, searches `<ns>.svc.<domain> svc.<domain> <domain>` then the host's,
 *   options `ndots:5`. Without --cluster-dns it falls back to Default, with a
 *   MissingClusterDNS warning on the pod and the node.
 * - ClusterFirst on the host network, and Default: the host's resolver file (with
 *   --resolv-conf "", 127.0.0.1 and search "." as kube: no DNS).
 * - None: nothing but spec.dnsConfig.
 * spec.dnsConfig is then appended (servers and searches without repeats, its options
 * replacing same-named ones), and the result cut to the resolver's limits (3 servers, 32
 * search domains of at most 253 characters and 2048 in all) with a DNSConfigForming warning.
 *
 * One tkube difference: loopback servers of the host's file are dropped for pods off the
 * host network. In the pod's network namespace nothing answers there (systemd-resolved's
 * 127.0.0.53 is the usual case, which kube leaves to --resolv-conf).
 */
import type { Pod } from '@tkube/api';
import type { DNSConfig } from '@tkube/api/cri';
import { type HostResolvConf, mergeOptions, readResolvConf } from './resolv-conf.js';

export interface DnsSettings {
  /** --cluster-dns. */
  clusterDns: readonly string[];
  /** --cluster-domain; "" adds no cluster search domains. */
  clusterDomain: string;
  /** --resolv-conf; "" means no host DNS. */
  resolvConf: string;
  /** The node's IPs: with no resolver file, a loopback server per IP family. */
  nodeIps: readonly string[];
}

/** What kube posts as a Warning event while forming the configuration. */
export interface DnsWarning {
  reason: 'MissingClusterDNS' | 'DNSConfigForming';
  message: string;
  /** Also posted on the Node (kube's MissingClusterDNS goes to both). */
  alsoOnNode?: string;
}

export interface PodDns {
  config: DNSConfig;
  warnings: DnsWarning[];
}

/** Resolver limits (kube's validation.MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
export const MAX_NAMESERVERS = 3;
export const MAX_SEARCH_PATHS = 32;
export const MAX_SEARCH_LIST_CHARS = 2048;
/** Longer search domains make some resolvers (glibc 2.28) abort. */
const MAX_SEARCH_DOMAIN_CHARS = 253;
const CLUSTER_OPTIONS = ['ndots:5'];

type DnsSource = 'cluster' | 'host' | 'none';

export function dnsSourceOf(pod: Pod): DnsSource {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    case 'ClusterFirst':
      return pod.spec?.hostNetwork ? 'host' : 'cluster';
    default:
      // The apiserver refuses other policies; kube falls back to ClusterFirst.
      return 'cluster';
  }
}

/** The pod's DNS configuration from the settings and the host's parsed resolver file. */
export function podDnsConfig(pod: Pod, settings: DnsSettings, host: HostResolvConf): PodDns {
  const warnings: DnsWarning[] = [];
  let source = dnsSourceOf(pod);
  let config: DNSConfig = { servers: [], searches: [], options: [] };

  if (source === 'cluster' && settings.clusterDns.length === 0) {
    const message =
      'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. ' +
      'Falling back to "Default" policy.';
    warnings.push({ reason: 'MissingClusterDNS', message: `pod: "${podLabel(pod)}". ${message}`, alsoOnNode: message });
    source = 'host';
  }
  if (source === 'cluster') {
    config = {
      servers: [...settings.clusterDns],
      searches: clusterSearches(pod, settings.clusterDomain, host.searches),
      options: [...CLUSTER_OPTIONS],
    };
  } else if (source === 'host') {
    config = hostConfig(pod, settings, host);
  }

  const extra = pod.spec?.dnsConfig;
  if (extra) {
    config.servers = unique([...config.servers, ...(extra.nameservers ?? [])]);
    config.searches = unique([...config.searches, ...(extra.searches ?? [])]);
    config.options = mergeOptions(
      config.options,
      (extra.options ?? []).map((o) => (o.value ? `${o.name ?? ''}:${o.value}` : (o.name ?? ''))),
    );
  }
  return { config: fitLimits(config, warnings), warnings };
}

/** Reads the host's resolver file at each call, as kube does, so an edited file counts for new pods. */
export class DnsConfigurer {
  constructor(private readonly settings: DnsSettings) {}

  async podDns(pod: Pod): Promise<PodDns> {
    const host =
      this.settings.resolvConf === ''
        ? { servers: [], searches: [], options: [] }
        : await readResolvConf(this.settings.resolvConf);
    return podDnsConfig(pod, this.settings, host);
  }
}

function hostConfig(pod: Pod, settings: DnsSettings, host: HostResolvConf): DNSConfig {
  if (settings.resolvConf === '') {
    const loopbacks = settings.nodeIps.map((ip) => (ip.includes(':') ? '::1' : '127.0.0.1'));
    return { servers: unique(loopbacks.length ? loopbacks : ['127.0.0.1']), searches: ['.'], options: [] };
  }
  const servers = pod.spec?.hostNetwork ? host.servers : host.servers.filter((server) => !isLoopback(server));
  return { servers: [...servers], searches: [...host.searches], options: [...host.options] };
}

function clusterSearches(pod: Pod, domain: string, hostSearches: readonly string[]): string[] {
  if (domain === '') return [...hostSearches];
  const namespace = pod.metadata?.namespace || 'default';
  return unique([`${namespace}.svc.${domain}`, `svc.${domain}`, domain, ...hostSearches]);
}

function fitLimits(config: DNSConfig, warnings: DnsWarning[]): DNSConfig {
  if (config.servers.length > MAX_NAMESERVERS) {
    config.servers = config.servers.slice(0, MAX_NAMESERVERS);
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${config.servers.join(' ')}`,
    });
  }
  let searches = config.searches.slice(0, MAX_SEARCH_PATHS);
  let exceeded = searches.length < config.searches.length;
  const fitting = searches.filter((domain) => domain.length <= MAX_SEARCH_DOMAIN_CHARS);
  exceeded ||= fitting.length < searches.length;
  searches = fitting;
  // The last domains go until the line fits.
  while (searches.join(' ').length > MAX_SEARCH_LIST_CHARS) {
    searches = searches.slice(0, -1);
    exceeded = true;
  }
  if (exceeded) {
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`,
    });
  }
  config.searches = searches;
  return config;
}

function isLoopback(server: string): boolean {
  return server.startsWith('127.') || server === '::1';
}

/** kube's format.Pod: name_namespace(uid). */
function podLabel(pod: Pod): string {
  const meta = pod.metadata ?? {};
  return `${meta.name ?? ''}_${meta.namespace ?? ''}(${meta.uid ?? ''})`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
