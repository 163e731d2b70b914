/**
 * The command line of `tkube-cni-bridge`, parsed into the plugin's configuration. Every
 * value is checked here, so a bad flag stops the process at start instead of failing
 * each Add later; anything unknown or malformed is a FlagError naming the flag.
 */
import { FlagError, formatCidr, isWithin, type LogLevel, logLevel, parseCidr, parseCommandLine } from '@tkube/process';
import { messageOf } from './error-info.js';
import type { BridgeNetworkConfig } from './network-host.js';
import { validateInterfaceName } from './validation.js';

export interface PluginConfig {
  /** "unix:///run/tkube/cni-bridge.sock". */
  listen: string;
  network: BridgeNetworkConfig;
  /** Root of the plugin's state: IPAM allocations live under networks/<bridge>/. */
  stateDir: string;
  logLevel: LogLevel;
}

export const USAGE = `Usage: tkube-cni-bridge --pod-cidr 10.244.N.0/24 [options]

  --listen unix:///run/tkube/cni-bridge.sock   where to serve the network plugin API
  --bridge tkube0                              the node's bridge
  --pod-cidr CIDR                              the node's pod block (required)
  --cluster-cidr 10.244.0.0/16                 the cluster's pod block (not masqueraded)
  --state-dir /var/lib/tkube/cni               IPAM state
  --mtu 1500                                   MTU of the bridge and the veth pairs
  --hairpin true                               hairpin mode on bridge ports
  --log-level info                             pino level
`;

const MIN_MTU = 576;
const MAX_MTU = 65535;

export function parseFlags(argv: readonly string[]): PluginConfig {
  const values = parseCommandLine(argv, {
    listen: { type: 'string', default: 'unix:///run/tkube/cni-bridge.sock' },
    bridge: { type: 'string', default: 'tkube0' },
    'pod-cidr': { type: 'string' },
    'cluster-cidr': { type: 'string', default: '10.244.0.0/16' },
    'state-dir': { type: 'string', default: '/var/lib/tkube/cni' },
    mtu: { type: 'string', default: '1500' },
    hairpin: { type: 'string', default: 'true' },
    'log-level': { type: 'string', default: 'info' },
  });
  const podCidrText = values['pod-cidr'];
  if (podCidrText === undefined) throw new FlagError('--pod-cidr is required');
  const podCidr = parseCidr(podCidrText);
  if (!podCidr || podCidr.prefixLength > 30) {
    throw new FlagError(`--pod-cidr ${podCidrText} is not an IPv4 network block of /30 or larger (10.244.1.0/24)`);
  }
  const clusterCidr = parseCidr(values['cluster-cidr']);
  if (!clusterCidr) throw new FlagError(`--cluster-cidr ${values['cluster-cidr']} is not an IPv4 network block`);
  if (!isWithin(podCidr, clusterCidr)) {
    throw new FlagError(`--pod-cidr ${formatCidr(podCidr)} is not inside --cluster-cidr ${formatCidr(clusterCidr)}`);
  }
  try {
    validateInterfaceName(values.bridge, 'bridge name');
  } catch (error) {
    throw new FlagError(messageOf(error));
  }
  const mtu = Number(values.mtu);
  if (!Number.isInteger(mtu) || mtu < MIN_MTU || mtu > MAX_MTU) {
    throw new FlagError(`--mtu ${values.mtu} is not an MTU between ${MIN_MTU} and ${MAX_MTU}`);
  }
  if (values.hairpin !== 'true' && values.hairpin !== 'false') {
    throw new FlagError(`--hairpin must be true or false, not ${values.hairpin}`);
  }
  if (!values['state-dir'].startsWith('/')) throw new FlagError('--state-dir must be an absolute path');
  return {
    listen: values.listen,
    network: { bridge: values.bridge, podCidr, clusterCidr, mtu, hairpin: values.hairpin === 'true' },
    stateDir: values['state-dir'],
    logLevel: logLevel('--log-level', values['log-level']),
  };
}
