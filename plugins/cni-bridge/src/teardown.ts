/**
 * Removes everything the plugin made for one bridge: the veths still on it, the jumps into
 * its chains, the chains with their MASQUERADE rules, the bridge, and the bridge's IPAM
 * state. For a node that goes away for good (`tkube down --purge`); the serving process is
 * not needed, nor the pod CIDR. Whatever is missing counts as removed, so a teardown that
 * stopped half way is simply run again.
 */
import { lstat, rm } from 'node:fs/promises';
import type { Ipv4Cidr } from '@tkube/process';
import { contains, formatCidr, parseIpv4 } from '@tkube/process';
import { errnoOf } from './error-info.js';
import type { BridgeTeardownHost, Removal } from './network-host.js';
import { deleteStrayVeths } from './stray-veths.js';

export interface TeardownOptions {
  host: BridgeTeardownHost;
  bridge: string;
  /** When given, a bridge holding an address outside it is another network's, and nothing is removed. */
  podCidr?: Ipv4Cidr;
  /** Where podCidr came from, for the refusal's message: '--pod-cidr' unless told. */
  podCidrOrigin?: string;
  /** The bridge's IPAM directory (ipamDirOf(stateDir, bridge)). */
  ipamDir: string;
  /** Told of each removal as it happens, so a failure half way still says what went. */
  onRemoval?(removal: Removal): void;
}

/** Tears the bridge's network down and answers what was removed, in order. */
export async function teardownBridgeNetwork(options: TeardownOptions): Promise<Removal[]> {
  const { host, bridge, podCidr, ipamDir } = options;
  const removals: Removal[] = [];
  const record = (removal: Removal) => {
    removals.push(removal);
    options.onRemoval?.(removal);
  };
  if (podCidr) await refuseForeignBridge(host, bridge, podCidr, options.podCidrOrigin ?? '--pod-cidr');

  for (const veth of await deleteStrayVeths(host, new Set())) record({ kind: 'veth', name: veth, outcome: 'removed' });
  for (const removal of await host.teardownHostNetwork()) record(removal);
  // Last: an address must not be free while an interface may still hold it.
  record({ kind: 'ipam-state', name: ipamDir, outcome: (await removeDir(ipamDir)) ? 'removed' : 'already gone' });
  return removals;
}

async function refuseForeignBridge(
  host: BridgeTeardownHost,
  bridge: string,
  podCidr: Ipv4Cidr,
  origin: string,
): Promise<void> {
  const addresses = (await host.bridgeAddresses()) ?? [];
  const foreign = addresses.filter((address) => {
    const ip = parseIpv4(address.split('/')[0] ?? '');
    return ip === undefined || !contains(podCidr, ip);
  });
  if (foreign.length > 0) {
    throw new Error(
      `bridge ${bridge} holds ${foreign.join(', ')}, outside ${origin} ${formatCidr(podCidr)}: ` +
        'it belongs to another network; nothing was removed',
    );
  }
}

/** Removes the directory and what is in it; false when there was none. */
async function removeDir(dir: string): Promise<boolean> {
  try {
    await lstat(dir);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
  await rm(dir, { recursive: true, force: true });
  return true;
}
