/**
 * Fake pod IPs from one IPv4 CIDR (10.88.0.0/16 by default), so pods on a fake node get an
 * address without a network plugin. Like host-local IPAM it hands out fresh addresses
 * round-robin before reusing released ones, so an address just freed by a deleted pod is
 * not given at once to the next pod. The network address, the first host (the gateway in
 * a real bridge setup) and the broadcast address are never handed out. O(1) per call.
 */

import { exhausted, invalidArgument } from './errors.js';

export const DEFAULT_POD_CIDR = '10.88.0.0/16';

function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export class IpPool {
  readonly cidr: string;
  private readonly first: number;
  private readonly last: number;
  /** The next never-used address; past `last` once all were handed out once. */
  private nextFresh: number;
  /** Released addresses, oldest first (a queue read from `releasedHead`). */
  private released: number[] = [];
  private releasedHead = 0;
  private readonly inUse = new Set<number>();

  constructor(cidr: string = DEFAULT_POD_CIDR) {
    const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim());
    const base = match ? parseIpv4(match[1]) : undefined;
    const prefix = match ? Number(match[2]) : NaN;
    if (base === undefined || !(prefix >= 8 && prefix <= 30)) {
      throw invalidArgument(`invalid pod CIDR "${cidr}": want an IPv4 a.b.c.d/n with n from 8 to 30`);
    }
    const size = 2 ** (32 - prefix);
    const network = base - (base % size);
    this.cidr = `${formatIpv4(network)}/${prefix}`;
    this.first = network + 2;
    this.last = network + size - 2;
    this.nextFresh = this.first;
  }

  /** How many addresses this pool can hand out in all. */
  get capacity(): number {
    return this.last - this.first + 1;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  allocate(): string {
    let address: number | undefined;
    if (this.nextFresh <= this.last) {
      address = this.nextFresh++;
    } else if (this.releasedHead < this.released.length) {
      address = this.released[this.releasedHead++];
      this.compactReleased();
    }
    if (address === undefined) throw exhausted(`no free pod IP left in ${this.cidr}`);
    this.inUse.add(address);
    return formatIpv4(address);
  }

  /** Gives an address back; unknown or already released addresses are ignored. */
  release(ip: string): void {
    const address = parseIpv4(ip);
    if (address === undefined || !this.inUse.delete(address)) return;
    this.released.push(address);
  }

  /** Drops the consumed front of the queue now and then, so it never grows without bound. */
  private compactReleased(): void {
    if (this.releasedHead > 1024 && this.releasedHead * 2 > this.released.length) {
      this.released = this.released.slice(this.releasedHead);
      this.releasedHead = 0;
    }
  }
}
