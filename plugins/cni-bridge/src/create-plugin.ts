/** Composes the plugin from its configuration: IPAM directory, Linux host, operations. */
import { join } from 'node:path';
import type { BridgePluginOptions } from './bridge-plugin.js';
import { BridgePlugin } from './bridge-plugin.js';
import type { CommandRunner } from './host/command-runner.js';
import { execFileRunner } from './host/command-runner.js';
import { LinuxNetworkHost } from './host/linux-network-host.js';
import { HostLocalIpam } from './ipam/host-local-ipam.js';
import type { BridgeNetworkConfig, NetworkHost } from './network-host.js';

export interface CreatedPlugin {
  plugin: BridgePlugin;
  host: NetworkHost;
  ipam: HostLocalIpam;
}

/** The IPAM directory of a bridge under the state dir, as host-local keeps one per network. */
export function ipamDirOf(stateDir: string, bridge: string): string {
  return join(stateDir, 'networks', bridge);
}

export function createBridgePlugin(
  config: { network: BridgeNetworkConfig; stateDir: string },
  logger: BridgePluginOptions['logger'],
  runner: CommandRunner = execFileRunner,
): CreatedPlugin {
  const host = new LinuxNetworkHost(config.network, runner);
  const ipam = new HostLocalIpam({
    dir: ipamDirOf(config.stateDir, config.network.bridge),
    subnet: config.network.podCidr,
  });
  const plugin = new BridgePlugin({ network: config.network, ipam, host, logger });
  return { plugin, host, ipam };
}
