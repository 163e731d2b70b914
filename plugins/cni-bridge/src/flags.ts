/**
 * The command line of `tkube-cni-bridge`, parsed into the plugin's configuration: serve
 * the network plugin API (the default), or `--teardown` a bridge's network. Every value is
 * checked here, so a bad flag stops the process at start instead of failing each Add
 * later; anything unknown or malformed is a FlagError naming the flag.
 */
import { FlagError, type Ipv4Cidr, type LogLevel, logLevel, parseCidr, parseCommandLine } from '@tkube/process';
import { messageOf } from './error-info.js';
import type { BridgeSettings } from './network-host.js';
import { parseNodeBlock } from './node-block.js';
import { validateInterfaceName } from './validation.js';

export interface PluginConfig {
  /** "unix:///run/tkube/cni-bridge.sock". */
  listen: string;
  /** The node's network but its block. */
  network: BridgeSettings;
  /**
   * --pod-cidr. Undefined: the block comes with the first Add's ipRanges capability (the
   * node's spec.podCIDR, from the kubelet) and is recorded in the state dir.
   */
  podCidr: Ipv4Cidr | undefined;
  /** Root of the plugin's state: IPAM allocations live under networks/<bridge>/. */
  stateDir: string;
  logLevel: LogLevel;
}

/** `--teardown`: what to remove, found by the bridge's name. */
export interface TeardownConfig {
  bridge: string;
  /**
   * Given: a bridge holding an address outside it is not torn down. Absent, the block the
   * serving plugin learnt and recorded (if any) is the guard.
   */
  podCidr: Ipv4Cidr | undefined;
  stateDir: string;
  /** A line per removal, or one JSON object {bridge, removals} for programs. */
  output: 'text' | 'json';
}

export const USAGE = `Usage: tkube-cni-bridge [--pod-cidr 10.244.N.0/24] [options]

  --listen unix:///run/tkube/cni-bridge.sock   where to serve the network plugin API
  --bridge tkube0                              the node's bridge
  --pod-cidr CIDR                              the node's pod block; without it, the block comes
                                               with the first Add's ipRanges capability (the
                                               node's spec.podCIDR, passed by the kubelet) and
                                               is recorded in the state dir for later starts
  --cluster-cidr 10.244.0.0/16                 the cluster's pod block (not masqueraded; every
                                               node block must lie inside it)
  --state-dir /var/lib/tkube/cni               IPAM state
  --mtu 1500                                   MTU of the bridge and the veth pairs
  --hairpin true                               hairpin mode on bridge ports
  --log-level info                             pino level

Usage: tkube-cni-bridge --teardown --bridge NAME [--pod-cidr CIDR] [--state-dir DIR] [--output text|json]

  Does not serve: removes the veths on the bridge, the plugin's iptables chains and the
  jumps into them, the bridge, and its IPAM state; prints each removal; exit 0 when
  nothing is left (also when nothing was there), 1 when something could not be removed.
  With --pod-cidr (or, without it, the block the plugin recorded), a bridge holding an
  address outside it is left alone (exit 1).
`;

const DEFAULT_STATE_DIR = '/var/lib/tkube/cni';
const MIN_MTU = 576;
const MAX_MTU = 65535;

/** The command line asks for a teardown (parseTeardownFlags) rather than serving (parseFlags). */
export function wantsTeardown(argv: readonly string[]): boolean {
  return argv.includes('--teardown');
}

export function parseTeardownFlags(argv: readonly string[]): TeardownConfig {
  const values = parseCommandLine(argv, {
    teardown: { type: 'boolean' },
    bridge: { type: 'string' },
    'pod-cidr': { type: 'string' },
    'state-dir': { type: 'string', default: DEFAULT_STATE_DIR },
    output: { type: 'string', default: 'text' },
  });
  // No default bridge: removing tkube0 because a flag was forgotten would cut a node off.
  if (values.bridge === undefined) throw new FlagError('--teardown needs --bridge');
  const output = values.output;
  if (output !== 'text' && output !== 'json') throw new FlagError(`--output must be text or json, not ${output}`);
  const podCidrText = values['pod-cidr'];
  return {
    bridge: bridgeName(values.bridge),
    podCidr: podCidrText === undefined ? undefined : podCidrOf(podCidrText),
    stateDir: stateDirOf(values['state-dir']),
    output,
  };
}

export function parseFlags(argv: readonly string[]): PluginConfig {
  const values = parseCommandLine(argv, {
    listen: { type: 'string', default: 'unix:///run/tkube/cni-bridge.sock' },
    bridge: { type: 'string', default: 'tkube0' },
    'pod-cidr': { type: 'string' },
    'cluster-cidr': { type: 'string', default: '10.244.0.0/16' },
    'state-dir': { type: 'string', default: DEFAULT_STATE_DIR },
    mtu: { type: 'string', default: '1500' },
    hairpin: { type: 'string', default: 'true' },
    'log-level': { type: 'string', default: 'info' },
  });
  const clusterCidr = parseCidr(values['cluster-cidr']);
  if (!clusterCidr) throw new FlagError(`--cluster-cidr ${values['cluster-cidr']} is not an IPv4 network block`);
  const podCidrText = values['pod-cidr'];
  const podCidr = podCidrText === undefined ? undefined : podCidrOf(podCidrText, clusterCidr);
  const mtu = Number(values.mtu);
  if (!Number.isInteger(mtu) || mtu < MIN_MTU || mtu > MAX_MTU) {
    throw new FlagError(`--mtu ${values.mtu} is not an MTU between ${MIN_MTU} and ${MAX_MTU}`);
  }
  if (values.hairpin !== 'true' && values.hairpin !== 'false') {
    throw new FlagError(`--hairpin must be true or false, not ${values.hairpin}`);
  }
  return {
    listen: values.listen,
    network: { bridge: bridgeName(values.bridge), clusterCidr, mtu, hairpin: values.hairpin === 'true' },
    podCidr,
    stateDir: stateDirOf(values['state-dir']),
    logLevel: logLevel('--log-level', values['log-level']),
  };
}

function podCidrOf(text: string, clusterCidr?: Ipv4Cidr): Ipv4Cidr {
  const parsed = parseNodeBlock(text, clusterCidr);
  if (!parsed.block) throw new FlagError(`--pod-cidr ${text} ${parsed.problem}`);
  return parsed.block;
}

function bridgeName(value: string): string {
  try {
    validateInterfaceName(value, 'bridge name');
  } catch (error) {
    throw new FlagError(messageOf(error));
  }
  return value;
}

function stateDirOf(value: string): string {
  if (!value.startsWith('/')) throw new FlagError('--state-dir must be an absolute path');
  return value;
}
