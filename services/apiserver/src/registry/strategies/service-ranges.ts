/**
 * The pools a cluster's Services draw from (kube-apiserver's --service-cluster-ip-range and
 * --service-node-port-range), and the two addresses of the service range that belong to
 * the cluster itself: the first for the `kubernetes` Service, the tenth for DNS. Several
 * clusters may share one host, each with its own ranges, so nothing here is a constant of
 * the process beyond the defaults.
 */
import { formatCidr, formatIpv4, type Ipv4Cidr, parseCidr } from '@tkube/process';

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export interface ServiceRanges {
  readonly clusterIPRange: Ipv4Cidr;
  readonly nodePortRange: PortRange;
}

/** kube's defaults: 10.96.0.0/12 and 30000-32767. */
export const DEFAULT_SERVICE_CLUSTER_IP_RANGE: Ipv4Cidr = { network: 0x0a600000, prefixLength: 12 };
export const DEFAULT_SERVICE_NODE_PORT_RANGE: PortRange = { min: 30000, max: 32767 };
export const DEFAULT_SERVICE_RANGES: ServiceRanges = {
  clusterIPRange: DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  nodePortRange: DEFAULT_SERVICE_NODE_PORT_RANGE,
};

/** Offsets into the range of the addresses the cluster keeps for itself. */
export const KUBERNETES_SERVICE_OFFSET = 1;
export const DNS_SERVICE_OFFSET = 10;

/** The smallest range that still holds the DNS address below its broadcast address. */
export const LONGEST_SERVICE_PREFIX = 28;
/** kube refuses IPv4 service ranges larger than a /8. */
export const SHORTEST_SERVICE_PREFIX = 8;

/** The `kubernetes` Service's ClusterIP: 10.96.0.1 in the default range. */
export function kubernetesServiceIP(range: Ipv4Cidr): string {
  return formatIpv4(range.network + KUBERNETES_SERVICE_OFFSET);
}

/** The address kept for cluster DNS: 10.96.0.10 in the default range. */
export function dnsServiceIP(range: Ipv4Cidr): string {
  return formatIpv4(range.network + DNS_SERVICE_OFFSET);
}

export function rangeSize(range: Ipv4Cidr): number {
  return 2 ** (32 - range.prefixLength);
}

/** "30000-32767", the flag's own spelling. */
export function formatPortRange(range: PortRange): string {
  return `${range.min}-${range.max}`;
}

/**
 * The service range as the flag writes it, or why it cannot be one. Host bits are refused
 * rather than masked: "10.96.0.1/12" is more likely a typo than a wish.
 */
export function parseServiceClusterIPRange(text: string): Ipv4Cidr | string {
  const range = parseCidr(text);
  if (!range) {
    const masked = parseCidr(text, { allowHostBits: true });
    return masked
      ? `"${text}" has host bits set; the network is ${formatCidr(masked)}`
      : `"${text}" is not an IPv4 CIDR such as 10.96.0.0/12`;
  }
  if (range.prefixLength < SHORTEST_SERVICE_PREFIX) {
    return `"${text}" is too large: the prefix length must be at least ${SHORTEST_SERVICE_PREFIX}`;
  }
  if (range.prefixLength > LONGEST_SERVICE_PREFIX) {
    return `"${text}" is too small: the prefix length must be at most ${LONGEST_SERVICE_PREFIX}, to hold the DNS address (the tenth)`;
  }
  return range;
}

/**
 * A port range in kube's spellings: "30000-32767", "30000+2767" (base and size beyond it)
 * or a single port; or why it cannot be one.
 */
export function parseNodePortRange(text: string): PortRange | string {
  const match = /^(\d{1,5})(?:([-+])(\d{1,5}))?$/.exec(text.trim());
  if (!match) return `"${text}" is not a port range such as 30000-32767`;
  const min = Number(match[1]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  const max = second === undefined ? min : match[2] === '+' ? min + second : second;
  if (min < 1 || max > 65535) return `"${text}" must lie within 1-65535`;
  if (max < min) return `"${text}" ends before it starts`;
  return { min, max };
}
