/**
 * What a name under the cluster domain refers to, by its shape alone (kube's DNS
 * specification; pod names as CoreDNS' "pods insecure"). Whether it exists is the index's
 * question. Labels arrive canonical (lower case).
 */

export type ClusterName =
  /** The cluster domain itself: its SOA and NS. */
  | { kind: 'apex' }
  /** dns-version.<zone>: the schema version TXT record. */
  | { kind: 'dns-version' }
  /** ns.dns.<zone>: the name server named by the SOA and NS records. */
  | { kind: 'nameserver' }
  /** svc.<zone> or pod.<zone>: names exist below, none here. */
  | { kind: 'branch' }
  /** <ns>.svc.<zone>. */
  | { kind: 'namespace'; namespace: string }
  /** <service>.<ns>.svc.<zone>. */
  | { kind: 'service'; namespace: string; service: string }
  /** <hostname>.<service>.<ns>.svc.<zone>: one endpoint of a headless service. */
  | { kind: 'endpoint'; namespace: string; service: string; hostname: string }
  /** _<proto>.<service>.<ns>.svc.<zone>: names exist below (the SRV records), none here. */
  | { kind: 'protocol'; namespace: string; service: string; protocol: string }
  /** _<port>._<proto>.<service>.<ns>.svc.<zone>. */
  | { kind: 'srv'; namespace: string; service: string; port: string; protocol: string }
  /** <ns>.pod.<zone>: names exist below, none here. */
  | { kind: 'pod-namespace'; namespace: string }
  /** <a-b-c-d>.<ns>.pod.<zone>. */
  | { kind: 'pod'; namespace: string; dashedIp: string }
  /** Any other shape: no such name. */
  | { kind: 'none' };

/** Parses the labels in front of the zone, outermost last ("web", "default", "svc"). */
export function parseClusterName(labels: readonly string[]): ClusterName {
  const outer = [...labels].reverse();
  const [top, ...rest] = outer;
  if (top === undefined) return { kind: 'apex' };
  if (rest.length === 0 && top === 'dns-version') return { kind: 'dns-version' };
  if (top === 'dns' && rest.length === 1 && rest[0] === 'ns') return { kind: 'nameserver' };
  if (top === 'svc') return serviceName(rest);
  if (top === 'pod') return podName(rest);
  return { kind: 'none' };
}

function serviceName(outer: readonly string[]): ClusterName {
  const [namespace, service, third, fourth, ...more] = outer;
  if (namespace === undefined) return { kind: 'branch' };
  if (service === undefined) return { kind: 'namespace', namespace };
  if (third === undefined) return { kind: 'service', namespace, service };
  if (more.length > 0) return { kind: 'none' };
  if (fourth === undefined) {
    // A hostname is a DNS-1123 label and cannot start with "_": this is the protocol level.
    if (third.startsWith('_')) return { kind: 'protocol', namespace, service, protocol: third.slice(1) };
    return { kind: 'endpoint', namespace, service, hostname: third };
  }
  if (third.startsWith('_') && fourth.startsWith('_')) {
    return { kind: 'srv', namespace, service, protocol: third.slice(1), port: fourth.slice(1) };
  }
  return { kind: 'none' };
}

function podName(outer: readonly string[]): ClusterName {
  const [namespace, dashedIp, ...more] = outer;
  if (namespace === undefined) return { kind: 'branch' };
  if (dashedIp === undefined) return { kind: 'pod-namespace', namespace };
  if (more.length > 0) return { kind: 'none' };
  return { kind: 'pod', namespace, dashedIp };
}
