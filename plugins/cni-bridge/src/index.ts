/**
 * @tkube/cni-bridge: the node's network plugin (bridge, veth pairs, host-local IPAM, NAT)
 * behind the network plugin API. The process is `tkube-cni-bridge` (main.ts); the pieces
 * are exported for composition and tests.
 */

export type { Ipv4Cidr } from '@tkube/process';
export { formatCidr, parseCidr } from '@tkube/process';
export type { BridgePluginOptions, PluginLogger } from './bridge-plugin.js';
export { BridgePlugin } from './bridge-plugin.js';
export { NEWEST_CNI_VERSION, SUPPORTED_CNI_VERSIONS } from './cni-version.js';
export type { CreatedPlugin } from './create-plugin.js';
export { createBridgePlugin, ipamDirOf } from './create-plugin.js';
export type { PluginConfig, TeardownConfig } from './flags.js';
export { parseFlags, parseTeardownFlags } from './flags.js';
export type { CommandRunner, RunOptions } from './host/command-runner.js';
export { CommandError, execFileRunner } from './host/command-runner.js';
export { LinuxBridgeTeardownHost } from './host/linux-bridge-teardown-host.js';
export { LinuxNetworkHost } from './host/linux-network-host.js';
export type { Allocation, HostLocalIpamOptions } from './ipam/host-local-ipam.js';
export { HostLocalIpam } from './ipam/host-local-ipam.js';
export { attachmentComment, forwardChain, hostVethName, masqueradeChain } from './names.js';
export type { BridgeNetworkConfig, BridgeSettings, BridgeTeardownHost, NetworkHost, Removal } from './network-host.js';
export type { NetworkPluginOperations } from './network-plugin.js';
export type { NodeBlockPluginOptions } from './node-block-plugin.js';
export { BLOCK_UNKNOWN_MESSAGE, NodeBlockPlugin, WAITING_FOR_BLOCK_MESSAGE } from './node-block-plugin.js';
export { podCidrRecordPath, readRecordedPodCidr, recordPodCidr } from './pod-cidr-record.js';
export type { RunningServer, ServerLogger } from './server.js';
export { startNetworkPluginServer } from './server.js';
export type { TeardownOptions } from './teardown.js';
export { teardownBridgeNetwork } from './teardown.js';
export type { TeardownReport } from './teardown-command.js';
