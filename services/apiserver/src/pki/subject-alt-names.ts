/**
 * The names the apiserver's serving certificate answers to. Clients on this host reach it
 * by loopback or the host's name; pods reach it as the `kubernetes` Service, so the
 * in-cluster names and that Service's ClusterIP (the first address of the configured
 * service range) are included as kube-apiserver does.
 */
import { isIP } from 'node:net';

export interface SubjectAltNames {
  dnsNames: string[];
  ipAddresses: string[];
}

/** The ClusterIP of the `kubernetes` Service in the default service range (10.96.0.0/12). */
export const DEFAULT_KUBERNETES_SERVICE_IP = '10.96.0.1';

const IN_CLUSTER_NAMES = [
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

export function subjectAltNames(
  hostname: string,
  extra: readonly string[] = [],
  kubernetesServiceIP = DEFAULT_KUBERNETES_SERVICE_IP,
): SubjectAltNames {
  const dnsNames = new Set<string>(['localhost']);
  const ipAddresses = new Set<string>(['127.0.0.1', '::1', kubernetesServiceIP]);
  for (const name of [hostname, ...IN_CLUSTER_NAMES, ...extra]) {
    const trimmed = name.trim();
    if (trimmed === '') continue;
    if (isIP(trimmed) !== 0) ipAddresses.add(trimmed);
    else dnsNames.add(trimmed.toLowerCase());
  }
  return { dnsNames: [...dnsNames], ipAddresses: [...ipAddresses] };
}

/** The openssl `subjectAltName=` value: "DNS:a,DNS:b,IP:1.2.3.4". */
export function opensslSubjectAltName(sans: SubjectAltNames): string {
  return [...sans.dnsNames.map((d) => `DNS:${d}`), ...sans.ipAddresses.map((ip) => `IP:${ip}`)].join(',');
}
