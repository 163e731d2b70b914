/**
 * IPv4 addresses as unsigned 32-bit numbers, and CIDR blocks: the arithmetic of pod
 * networks (gateway, broadcast, the range of assignable addresses), shared by the bridge
 * network plugin and the fake runtime's pod IPs. Parsing is strict (no leading zeros, no
 * blanks), because addresses end up as arguments of `ip` and `iptables`.
 */

export interface Ipv4Cidr {
  /** The network address, host bits zero. */
  readonly network: number;
  readonly prefixLength: number;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Parses dotted-quad notation; undefined when the text is not exactly an IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export interface ParseCidrOptions {
  /**
   * Take an address inside the block for the block: "10.244.1.7/24" is 10.244.1.0/24.
   * Off by default, since a pod CIDR given that way is almost always a typo.
   */
  allowHostBits?: boolean;
}

/** Parses "a.b.c.d/n"; undefined when the text is not exactly that. */
export function parseCidr(text: string, options: ParseCidrOptions = {}): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9][0-9]?)$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > 32) return undefined;
  const network = (address & ~hostMask(prefixLength)) >>> 0;
  if (network !== address && !options.allowHostBits) return undefined;
  return { network, prefixLength };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
}

export function broadcastOf(cidr: Ipv4Cidr): number {
  return (cidr.network | hostMask(cidr.prefixLength)) >>> 0;
}

/** The bridge's address: the first host of the block, as the CNI bridge plugin picks it. */
export function gatewayOf(cidr: Ipv4Cidr): number {
  return cidr.network + 1;
}

export function contains(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address <= broadcastOf(cidr);
}

/** True when `inner` lies wholly inside `outer`. */
export function isWithin(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  return inner.prefixLength >= outer.prefixLength && contains(outer, inner.network);
}

/** An address with the block's prefix length, as `ip addr add` takes it: "10.244.1.5/24". */
export function addressInCidr(address: number, cidr: Ipv4Cidr): string {
  return `${formatIpv4(address)}/${cidr.prefixLength}`;
}

function hostMask(prefixLength: number): number {
  return prefixLength === 0 ? 0xffffffff : (2 ** (32 - prefixLength) - 1) >>> 0;
}
