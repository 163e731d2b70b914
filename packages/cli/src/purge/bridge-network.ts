/**
 * Removes what plugins/cni-bridge made on the host for one bridge, as its
 * LinuxNetworkHost.teardownHostNetwork does, plus the veths a killed plugin left behind:
 * the host ends of the pods' veth pairs, the jumps into its chains (commented
 * `tkube-cni-bridge:<bridge>`), its chains TKUBE-FWD-<bridge> (filter) and
 * TKUBE-MASQ-<bridge> (nat, with one MASQUERADE per pod), then the bridge itself.
 * Everything missing counts as removed, so running it twice is harmless.
 */
import { HostCommandError, type HostCommands } from './host-commands.js';

const IP = 'ip';
const IPTABLES = 'iptables';
/** Waits up to this many seconds for another process's xtables lock. */
const LOCK_WAIT_SECONDS = '5';

export type Table = 'filter' | 'nat';

export function forwardChain(bridge: string): string {
  return `TKUBE-FWD-${bridge}`;
}

export function masqueradeChain(bridge: string): string {
  return `TKUBE-MASQ-${bridge}`;
}

export function jumpComment(bridge: string): string {
  return `tkube-cni-bridge:${bridge}`;
}

/** Where the plugin jumps into each of its chains from. */
export function chainsOf(bridge: string): Array<{ table: Table; parent: string; chain: string }> {
  return [
    { table: 'filter', parent: 'FORWARD', chain: forwardChain(bridge) },
    { table: 'nat', parent: 'POSTROUTING', chain: masqueradeChain(bridge) },
  ];
}

export function iptablesArgs(table: Table, args: readonly string[]): string[] {
  return ['-w', LOCK_WAIT_SECONDS, '-t', table, ...args];
}

/** The veths attached to the bridge (none when it does not exist). */
export async function bridgePorts(commands: HostCommands, bridge: string): Promise<string[]> {
  const result = await commands.run(IP, ['-j', 'link', 'show', 'master', bridge]);
  if (result.code !== 0) {
    if (isMissingDevice(result.stderr)) return [];
    throw new HostCommandError([IP, '-j', 'link', 'show', 'master', bridge], result);
  }
  return linkNames(result.stdout);
}

export async function removeBridgePorts(commands: HostCommands, bridge: string): Promise<string> {
  const ports = await bridgePorts(commands, bridge);
  let removed = 0;
  for (const port of ports) if (await deleteLink(commands, port)) removed++;
  return removed === 0 ? 'none left' : `${removed} removed (${ports.join(', ')})`;
}

/** Deletes the jumps into the bridge's chains, then the chains (with their rules). */
export async function removeNetworkRules(commands: HostCommands, bridge: string): Promise<string> {
  let jumps = 0;
  let chains = 0;
  for (const { table, parent, chain } of chainsOf(bridge)) {
    const listed = await commands.run(IPTABLES, iptablesArgs(table, ['-S', parent]));
    if (listed.code !== 0) throw new HostCommandError([IPTABLES, ...iptablesArgs(table, ['-S', parent])], listed);
    for (const rule of ownJumps(listed.stdout, parent, bridge, chain)) {
      const deleted = await commands.run(IPTABLES, iptablesArgs(table, ['-D', parent, ...rule]));
      if (deleted.code === 0) jumps++;
      else if (!isMissingRule(deleted.stderr)) {
        throw new HostCommandError([IPTABLES, ...iptablesArgs(table, ['-D', parent, ...rule])], deleted);
      }
    }
    if (await deleteChain(commands, table, chain)) chains++;
  }
  if (jumps === 0 && chains === 0) return 'none left';
  return `${jumps} jump rule(s) and ${chains} chain(s) removed`;
}

export async function removeBridge(commands: HostCommands, bridge: string): Promise<string> {
  return (await deleteLink(commands, bridge)) ? 'removed' : 'already gone';
}

/**
 * The rules of `iptables -S <parent>` that belong to the bridge: those with its jump
 * comment or jumping into its chain, as argument lists after `-A <parent>` (for -D).
 */
export function ownJumps(listing: string, parent: string, bridge: string, chain: string): string[][] {
  return listing
    .split('\n')
    .filter((line) => line.startsWith(`-A ${parent} `))
    .map(splitRuleLine)
    .map((args) => args.slice(2))
    .filter((rule) => valueAfter(rule, '--comment') === jumpComment(bridge) || valueAfter(rule, '-j') === chain);
}

/** Splits one line of `iptables -S` into arguments ("quoted values" hold spaces). */
export function splitRuleLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArgument = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '\\' && i + 1 < line.length) current += line[++i];
      else if (char === '"') quoted = false;
      else current += char;
    } else if (char === '"') {
      quoted = true;
      inArgument = true;
    } else if (char === ' ' || char === '\t') {
      if (inArgument) args.push(current);
      current = '';
      inArgument = false;
    } else {
      current += char;
      inArgument = true;
    }
  }
  if (inArgument) args.push(current);
  return args;
}

function valueAfter(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
}

/** Flushes and removes the chain; false when it did not exist. */
async function deleteChain(commands: HostCommands, table: Table, chain: string): Promise<boolean> {
  for (const flag of ['-F', '-X']) {
    const args = iptablesArgs(table, [flag, chain]);
    const result = await commands.run(IPTABLES, args);
    if (result.code === 0) continue;
    if (isMissingChain(result.stderr)) return false;
    throw new HostCommandError([IPTABLES, ...args], result);
  }
  return true;
}

/** `ip link del`; false when there was no such device. */
async function deleteLink(commands: HostCommands, name: string): Promise<boolean> {
  const result = await commands.run(IP, ['link', 'del', name]);
  if (result.code === 0) return true;
  if (isMissingDevice(result.stderr)) return false;
  throw new HostCommandError([IP, 'link', 'del', name], result);
}

function linkNames(json: string): string[] {
  if (json.trim() === '') return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed
    .map((link: unknown) =>
      typeof link === 'object' && link !== null && 'ifname' in link && typeof link.ifname === 'string'
        ? link.ifname
        : undefined,
    )
    .filter((name): name is string => name !== undefined);
}

function isMissingDevice(stderr: string): boolean {
  return /Cannot find device|does not exist/i.test(stderr);
}

function isMissingChain(stderr: string): boolean {
  // iptables-nft 1.8.9 answers some operations on a missing chain with "... is incompatible".
  return /No chain\/target\/match by that name|does not exist|doesn't exist|is incompatible/i.test(stderr);
}

function isMissingRule(stderr: string): boolean {
  return /Bad rule|does a matching rule exist|No chain\/target\/match by that name/i.test(stderr);
}
