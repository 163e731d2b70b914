/**
 * The part of the Linux host that is found by the bridge's name alone: its ports, its
 * addresses, and the plugin's iptables chains with the jumps into them. Both the serving
 * plugin (through LinuxNetworkHost) and `tkube-cni-bridge --teardown` use it, so what the
 * plugin makes and what removes it are written in one place.
 */
import { forwardChain, jumpComment, masqueradeChain } from '../names.js';
import type { BridgeTeardownHost, Removal } from '../network-host.js';
import type { CommandRunner } from './command-runner.js';
import { CommandError } from './command-runner.js';
import { IpRoute2 } from './iproute2.js';
import { Iptables, type Table } from './iptables.js';
import { commentOf, targetOf } from './iptables-rule.js';

/** The plugin's chains and the built-in chain that jumps into each. */
function chainsOf(bridge: string): Array<{ table: Table; parent: string; chain: string }> {
  return [
    { table: 'filter', parent: 'FORWARD', chain: forwardChain(bridge) },
    { table: 'nat', parent: 'POSTROUTING', chain: masqueradeChain(bridge) },
  ];
}

export class LinuxBridgeTeardownHost implements BridgeTeardownHost {
  constructor(
    private readonly bridge: string,
    private readonly ip: IpRoute2,
    private readonly iptables: Iptables,
  ) {}

  /** For a process that only tears down: its own iproute2 and iptables. */
  static create(bridge: string, runner: CommandRunner): LinuxBridgeTeardownHost {
    return new LinuxBridgeTeardownHost(bridge, new IpRoute2(runner), new Iptables(runner));
  }

  deleteLink(name: string): Promise<boolean> {
    return this.ip.deleteLink(name);
  }

  async bridgePorts(): Promise<string[]> {
    try {
      return await this.ip.portsOf(this.bridge);
    } catch (error) {
      if (error instanceof CommandError && /does not exist|Cannot find device/i.test(error.stderr)) return [];
      throw error;
    }
  }

  async bridgeAddresses(): Promise<string[] | undefined> {
    return (await this.ip.link(this.bridge))?.ipv4Addresses;
  }

  async teardownHostNetwork(): Promise<Removal[]> {
    const removals: Removal[] = [];
    for (const { table, parent, chain } of chainsOf(this.bridge)) {
      // By comment or by target: a jump written by hand or by an older plugin goes too,
      // and the chain cannot be deleted while anything still jumps into it.
      const jumps = await this.iptables.deleteRulesWhere(
        table,
        parent,
        (rule) => commentOf(rule) === jumpComment(this.bridge) || targetOf(rule) === chain,
      );
      removals.push({ kind: 'jump', name: `${table} ${parent} -> ${chain}`, outcome: outcomeOf(jumps > 0) });
      const chainRemoved = await this.iptables.deleteChain(table, chain);
      removals.push({ kind: 'chain', name: `${table} ${chain}`, outcome: outcomeOf(chainRemoved) });
    }
    const bridgeRemoved = await this.ip.deleteLink(this.bridge);
    removals.push({ kind: 'bridge', name: this.bridge, outcome: outcomeOf(bridgeRemoved) });
    return removals;
  }
}

function outcomeOf(removed: boolean): Removal['outcome'] {
  return removed ? 'removed' : 'already gone';
}
