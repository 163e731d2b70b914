/**
 * The node's pod block, wherever it comes from (--pod-cidr, the runtime's `ipRanges`, the
 * record in the state dir): one rule for what is acceptable, so a block the flag would
 * refuse is refused from the other sources too, in the same words.
 */
import type { Ipv4Cidr } from '@tkube/process';
import { formatCidr, isWithin, parseCidr } from '@tkube/process';

/** A /31 or /32 leaves no address for a pod once the gateway and broadcast are taken. */
const SMALLEST_BLOCK_PREFIX = 30;

/** The block, or why the text is not one ("is not an IPv4 network block ..."), to follow its source's name. */
export type NodeBlockParse = { block: Ipv4Cidr; problem?: undefined } | { block?: undefined; problem: string };

/**
 * Parses a node block: an IPv4 network ("10.244.1.0/24", no host bits) of /30 or larger,
 * inside the cluster's block when one is given.
 */
export function parseNodeBlock(text: string, clusterCidr?: Ipv4Cidr): NodeBlockParse {
  const block = parseCidr(text);
  if (!block || block.prefixLength > SMALLEST_BLOCK_PREFIX) {
    return { problem: `is not an IPv4 network block of /${SMALLEST_BLOCK_PREFIX} or larger (10.244.1.0/24)` };
  }
  if (clusterCidr && !isWithin(block, clusterCidr)) {
    return { problem: `is not inside --cluster-cidr ${formatCidr(clusterCidr)}` };
  }
  return { block };
}

export function sameBlock(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network === b.network && a.prefixLength === b.prefixLength;
}
