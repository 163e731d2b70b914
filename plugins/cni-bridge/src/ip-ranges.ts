/**
 * The CNI `ipRanges` capability as this plugin reads it: the kubelet passes the node's
 * spec.podCIDR as `[{ ranges: [{ subnet, gateway }] }]`. The plugin gives each attachment
 * one IPv4 address from one block, so only the first range of the first set counts (a
 * dual-stack runtime's further sets are not served). A range the plugin cannot honour is
 * refused as invalid network configuration (CNI code 7) rather than half obeyed.
 */
import { status as GrpcCode } from '@grpc/grpc-js';
import type { RuntimeConfig } from '@tkube/api/cni';
import { CniErrorCode, NetworkPluginError } from '@tkube/api/cni';
import type { Ipv4Cidr } from '@tkube/process';
import { formatCidr, formatIpv4, gatewayOf, parseIpv4 } from '@tkube/process';
import { parseNodeBlock, sameBlock } from './node-block.js';

const MAX_QUOTED_LENGTH = 64;

/** CNI error 7 over INVALID_ARGUMENT: the network configuration itself is wrong for this plugin. */
export function invalidNetworkConfig(message: string): NetworkPluginError {
  return new NetworkPluginError(CniErrorCode.InvalidNetworkConfig, message, GrpcCode.INVALID_ARGUMENT);
}

/**
 * The node block the runtime names in `ipRanges`, validated (an IPv4 block of /30 or
 * larger inside the cluster's block, its gateway, when given, the block's first address);
 * undefined when the runtime passed no ranges.
 */
export function requestedNodeBlock(
  runtimeConfig: RuntimeConfig | undefined,
  clusterCidr: Ipv4Cidr,
): Ipv4Cidr | undefined {
  const sets = runtimeConfig?.ipRanges ?? [];
  if (sets.length === 0) return undefined;
  const range = sets[0]?.ranges[0];
  if (!range) throw invalidNetworkConfig('the first set of the ipRanges capability holds no range');
  const parsed = parseNodeBlock(range.subnet, clusterCidr);
  if (!parsed.block) throw invalidNetworkConfig(`the ipRanges subnet ${quoted(range.subnet)} ${parsed.problem}`);
  const block = parsed.block;
  if (range.gateway !== '' && parseIpv4(range.gateway) !== gatewayOf(block)) {
    throw invalidNetworkConfig(
      `the ipRanges gateway ${quoted(range.gateway)} is not supported: the gateway of ${formatCidr(block)} ` +
        `is the bridge's address, its first: ${formatIpv4(gatewayOf(block))}`,
    );
  }
  return block;
}

/** Refuses a runtime that names another block than the node's. */
export function refuseOtherBlock(nodeBlock: Ipv4Cidr, requested: Ipv4Cidr | undefined): void {
  if (requested && !sameBlock(nodeBlock, requested)) {
    throw invalidNetworkConfig(
      `this node's pod CIDR is ${formatCidr(nodeBlock)}, the runtime asked for ${formatCidr(requested)}`,
    );
  }
}

function quoted(text: string): string {
  const shown = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}...` : text;
  return JSON.stringify(shown);
}
