/**
 * What the node's tkube-proxy wrote into the nat table, read back with `iptables-save -t nat`.
 * Its chains start with TKP<tag>-, the tag being 5 base32 characters of the sha256 of its
 * --instance (`<node>@<bridge>`, as `tkube up` names it): the same derivation as
 * services/proxy/src/rules/chain-names.ts, repeated here so the benchmark reads the host as
 * an outsider would.
 */
import { createHash } from 'node:crypto';
import { runCommand } from '../../../bench-kit/run-command.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export interface NatRuleCounts {
  /** The chain prefix of this proxy: `TKP<tag>-`. */
  prefix: string;
  /** Chains of this proxy (`:TKP<tag>-...` lines). */
  chains: number;
  /** `-A` rules in or jumping to this proxy's chains. */
  rules: number;
  /** Of those, the rules that name the benchmark's Service (its comments). */
  serviceRules: number;
  /** Every line with TKP in the host's nat table (`iptables-save -t nat | grep -c TKP`): all proxies on the host. */
  hostTkpLines: number;
  /** The OUTPUT chain's jumps into some proxy's chains: each is evaluated for every new connection from the host. */
  hostOutputJumps: number;
}

export function proxyChainPrefix(instance: string): string {
  const digest = createHash('sha256').update(instance).digest();
  // The first 25 bits are the first 5 base32 characters.
  const first = digest.readUInt32BE(0);
  let tag = '';
  for (let i = 0; i < 5; i++) tag += BASE32[(first >>> (27 - 5 * i)) & 31];
  return `TKP${tag}-`;
}

async function natTable(): Promise<string> {
  const saved = await runCommand('iptables-save', ['-t', 'nat'], 20_000);
  if (saved.code !== 0) throw new Error(`iptables-save -t nat failed: ${saved.output.slice(-500)}`);
  return saved.output;
}

/** The `--to-destination` addresses of this proxy's DNAT rules ("10.244.128.2:8080"). */
export function dnatDestinations(natText: string, prefix: string): Set<string> {
  const found = new Set<string>();
  for (const line of natText.split('\n')) {
    if (!line.startsWith(`-A ${prefix}SEP-`)) continue;
    const to = / --to-destination (\S+)/.exec(line)?.[1];
    if (to) found.add(to);
  }
  return found;
}

/**
 * Polls the nat table until this proxy DNATs to every one of `destinations`: the EndpointSlice
 * can list a pod a moment before the proxy has followed it. Resolves with the milliseconds waited.
 */
export async function waitForEndpointRules(
  instance: string,
  destinations: string[],
  deadlineMs: number,
): Promise<number> {
  const prefix = proxyChainPrefix(instance);
  const started = performance.now();
  for (;;) {
    const found = dnatDestinations(await natTable(), prefix);
    if (destinations.every((d) => found.has(d))) return Math.round(performance.now() - started);
    if (performance.now() - started > deadlineMs) {
      throw new Error(`the proxy's rules DNAT to ${[...found].join(' ') || 'nothing'}, not ${destinations.join(' ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function countNatRules(instance: string, serviceName: string): Promise<NatRuleCounts> {
  const prefix = proxyChainPrefix(instance);
  const lines = (await natTable()).split('\n');
  const ours = lines.filter((line) => line.includes(prefix));
  return {
    prefix,
    chains: ours.filter((line) => line.startsWith(':')).length,
    rules: ours.filter((line) => line.startsWith('-A ')).length,
    serviceRules: ours.filter((line) => line.startsWith('-A ') && line.includes(serviceName)).length,
    hostTkpLines: lines.filter((line) => line.includes('TKP')).length,
    hostOutputJumps: lines.filter((line) => line.startsWith('-A OUTPUT ') && / -j TKP/.test(line)).length,
  };
}
