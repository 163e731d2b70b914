/**
 * Hands out per-node pod subnets from the cluster CIDR (kube's range allocator): the
 * cluster range is cut into subnets of a fixed mask size and the lowest free one is given.
 * IPv4 only, as tkube's network is.
 */
import { StatusError } from '@tkube/api';

export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16';
export const DEFAULT_NODE_MASK_SIZE = 24;

interface Ipv4Cidr {
  base: number;
  prefix: number;
}

export function parseIpv4Cidr(text: string): Ipv4Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix > 32) {
    throw StatusError.badRequest(`invalid CIDR address: ${text}`);
  }
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  // Normalise to the network address (10.244.1.7/16 means 10.244.0.0/16).
  return { base: address - (address % size), prefix };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.base / 2 ** shift) % 256);
  return `${octets.join('.')}/${cidr.prefix}`;
}

export class CidrAllocator {
  private readonly cluster: Ipv4Cidr;
  private readonly used = new Set<number>();

  constructor(
    clusterCidr = DEFAULT_CLUSTER_CIDR,
    private readonly nodeMaskSize = DEFAULT_NODE_MASK_SIZE,
  ) {
    this.cluster = parseIpv4Cidr(clusterCidr);
    if (nodeMaskSize < this.cluster.prefix || nodeMaskSize > 32) {
      throw StatusError.badRequest(`node mask size ${nodeMaskSize} does not fit in ${clusterCidr}`);
    }
  }

  /** How many node subnets the cluster range holds. */
  get capacity(): number {
    return 2 ** (this.nodeMaskSize - this.cluster.prefix);
  }

  /** Marks a subnet taken (a node already has it); subnets outside the range are ignored. */
  occupy(cidr: string): void {
    const index = this.indexOf(cidr);
    if (index !== undefined) this.used.add(index);
  }

  release(cidr: string): void {
    const index = this.indexOf(cidr);
    if (index !== undefined) this.used.delete(index);
  }

  /** Takes the lowest free subnet; throws when the range is exhausted. */
  allocateNext(): string {
    for (let index = 0; index < this.capacity; index++) {
      if (this.used.has(index)) continue;
      this.used.add(index);
      return formatIpv4Cidr({ base: this.cluster.base + index * this.subnetSize(), prefix: this.nodeMaskSize });
    }
    throw StatusError.internal(
      `the cluster CIDR ${formatIpv4Cidr(this.cluster)} has no free /${this.nodeMaskSize} left`,
    );
  }

  private subnetSize(): number {
    return 2 ** (32 - this.nodeMaskSize);
  }

  private indexOf(text: string): number | undefined {
    let cidr: Ipv4Cidr;
    try {
      cidr = parseIpv4Cidr(text);
    } catch {
      return undefined;
    }
    if (cidr.prefix !== this.nodeMaskSize) return undefined;
    const offset = cidr.base - this.cluster.base;
    if (offset < 0 || offset >= this.capacity * this.subnetSize()) return undefined;
    return offset / this.subnetSize();
  }
}
