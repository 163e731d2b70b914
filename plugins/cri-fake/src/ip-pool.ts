/**
 * Fake pod IPs from one IPv4 CIDR (10.88.0.0/16 by default), so pods on a fake node get an
 * address without a network plugin. Like host-local IPAM it hands out fresh addresses
 * round-robin before reusing released ones, so an address just freed by a deleted pod is
 * not given at once to the next pod. The network address, the first host (the gateway in
 * a real bridge setup) and the broadcast address are never handed out. O(1) per call.
 */

import { broadcastOf, formatCidr, formatIpv4, parseCidr, parseIpv4 } from '@tkube/process';
import { exhausted, invalidArgument } from './errors.js';

export const DEFAULT_POD_CIDR = '10.88.0.0/16';

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
    const block = parseCidr(cidr.trim(), { allowHostBits: true });
    if (!block || block.prefixLength < 8 || block.prefixLength > 30) {
      throw invalidArgument(`invalid pod CIDR "${cidr}": want an IPv4 a.b.c.d/n with n from 8 to 30`);
    }
    this.cidr = formatCidr(block);
    this.first = block.network + 2;
    this.last = broadcastOf(block) - 1;
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
