/**
 * Host-local IPAM, in the manner of the CNI host-local plugin: the addresses of one
 * network are files in one directory, one file per address in use, named by the address
 * and holding the container id and interface name that hold it. The directory is the
 * whole state, so allocations survive a restart of the plugin and are shared safely by
 * any number of processes.
 *
 * Claiming an address is one atomic `link(2)` of a file already holding its owner: the
 * kernel lets exactly one claimant create a name, so concurrent Adds, in one process or
 * many, never get the same address (O_EXCL semantics), and no crash can leave an empty,
 * ownerless claim behind. `last_reserved_ip.0` remembers where the last claim was, so
 * addresses rotate instead of being handed out again at once after a release.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetworkPluginError } from '@tkube/api/cni';
import type { Ipv4Cidr } from '@tkube/process';
import { broadcastOf, formatCidr, formatIpv4, gatewayOf, parseIpv4 } from '@tkube/process';
import { errnoOf, messageOf } from '../error-info.js';

export interface Allocation {
  readonly address: string;
  readonly containerId: string;
  readonly ifname: string;
}

export interface HostLocalIpamOptions {
  /** The directory of this network's allocations. */
  dir: string;
  /** The block addresses come from; its network, gateway and broadcast addresses are never given out. */
  subnet: Ipv4Cidr;
}

const LAST_RESERVED_FILE = 'last_reserved_ip.0';

export class HostLocalIpam {
  readonly dir: string;
  readonly subnet: Ipv4Cidr;
  /** The first and last address given out: after the gateway, before the broadcast address. */
  private readonly first: number;
  private readonly last: number;

  constructor(options: HostLocalIpamOptions) {
    this.dir = options.dir;
    this.subnet = options.subnet;
    this.first = gatewayOf(options.subnet) + 1;
    this.last = broadcastOf(options.subnet) - 1;
    if (this.last < this.first) {
      throw NetworkPluginError.invalidArguments(`subnet ${formatCidr(options.subnet)} has no address for pods`);
    }
  }

  /** How many addresses the subnet can give out in all. */
  get capacity(): number {
    return this.last - this.first + 1;
  }

  /**
   * Claims a free address for the attachment and answers it. Fails with a duplicate error
   * when the attachment already holds one (Add is not idempotent) and with an exhausted
   * error when every address is taken.
   */
  async allocate(containerId: string, ifname: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const held = await this.list();
    const duplicate = held.find((a) => a.containerId === containerId && a.ifname === ifname);
    if (duplicate) {
      throw NetworkPluginError.duplicateAttachment(
        `container ${containerId} interface ${ifname} already holds ${duplicate.address}`,
      );
    }
    const taken = new Set(held.map((a) => a.address));
    const claim = join(this.dir, `.claim-${process.pid}-${randomUUID()}`);
    await writeFile(claim, ownerText(containerId, ifname), { mode: 0o600 });
    try {
      for (const candidate of this.candidatesAfter(await this.lastReserved())) {
        const address = formatIpv4(candidate);
        // Skipping what the listing saw is only a shortcut: link() is the arbiter.
        if (taken.has(address)) continue;
        if (await this.tryClaim(claim, address)) {
          await this.writeLastReserved(address);
          return address;
        }
      }
      throw NetworkPluginError.addressesExhausted(formatCidr(this.subnet));
    } finally {
      await rm(claim, { force: true });
    }
  }

  /** Releases what the attachment holds and answers the released addresses; none is fine. */
  async release(containerId: string, ifname: string): Promise<string[]> {
    const released: string[] = [];
    for (const allocation of await this.list()) {
      if (allocation.containerId !== containerId || allocation.ifname !== ifname) continue;
      await rm(join(this.dir, allocation.address), { force: true });
      released.push(allocation.address);
    }
    return released;
  }

  /** The address the attachment holds, if any. */
  async find(containerId: string, ifname: string): Promise<string | undefined> {
    const allocations = await this.list();
    return allocations.find((a) => a.containerId === containerId && a.ifname === ifname)?.address;
  }

  /** Every allocation on disk, in address order. */
  async list(): Promise<Allocation[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return [];
      throw NetworkPluginError.ioFailure(`failed to list the allocations in ${this.dir}`, messageOf(error), error);
    }
    const allocations: Allocation[] = [];
    for (const name of names) {
      if (parseIpv4(name) === undefined) continue;
      const owner = await this.readOwner(name);
      if (owner) allocations.push({ address: name, ...owner });
    }
    return allocations.sort((a, b) => (parseIpv4(a.address) ?? 0) - (parseIpv4(b.address) ?? 0));
  }

  /** Every address of the range once, starting after the last one claimed. */
  private *candidatesAfter(lastReserved: number | undefined): Generator<number> {
    const capacity = this.capacity;
    const inRange = lastReserved !== undefined && lastReserved >= this.first && lastReserved <= this.last;
    const startOffset = inRange ? lastReserved - this.first + 1 : 0;
    for (let i = 0; i < capacity; i++) yield this.first + ((startOffset + i) % capacity);
  }

  private async tryClaim(claim: string, address: string): Promise<boolean> {
    try {
      await link(claim, join(this.dir, address));
      return true;
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') return false;
      throw NetworkPluginError.ioFailure(`failed to claim ${address} in ${this.dir}`, messageOf(error), error);
    }
  }

  private async readOwner(name: string): Promise<{ containerId: string; ifname: string } | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.dir, name), 'utf8');
    } catch (error) {
      // Released between the listing and the read.
      if (errnoOf(error) === 'ENOENT') return undefined;
      throw NetworkPluginError.ioFailure(`failed to read the allocation ${name}`, messageOf(error), error);
    }
    // host-local writes "id\r\nifname"; tkube writes "id\nifname\n".
    const [containerId = '', ifname = ''] = text.split(/\r?\n/);
    return { containerId, ifname };
  }

  private async lastReserved(): Promise<number | undefined> {
    try {
      return parseIpv4((await readFile(join(this.dir, LAST_RESERVED_FILE), 'utf8')).trim());
    } catch {
      return undefined;
    }
  }

  /** A hint only (the last writer wins), so a rename is enough: readers never see half a file. */
  private async writeLastReserved(address: string): Promise<void> {
    const temporary = join(this.dir, `.last-${process.pid}-${randomUUID()}`);
    try {
      await writeFile(temporary, address);
      await rename(temporary, join(this.dir, LAST_RESERVED_FILE));
    } catch {
      await unlink(temporary).catch(() => undefined);
    }
  }
}

function ownerText(containerId: string, ifname: string): string {
  return `${containerId}\n${ifname}\n`;
}
