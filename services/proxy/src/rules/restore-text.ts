/**
 * Turns a Ruleset into one iptables-restore --noflush input, given what the tables hold now:
 *
 * - every chain of the proxy is declared (`:CHAIN - [0:0]`), which creates or flushes it,
 *   then its rules are appended: a chain is always rewritten whole;
 * - chains of the proxy that are no longer wanted are flushed and deleted (`-X`) at the end;
 * - a jump from a built-in chain is inserted (`-I`) only when missing; duplicates and
 *   jumps into the proxy's chains that are no longer wanted are deleted (`-D`).
 *
 * Only chains starting with the proxy's prefix and jumps into them are touched, so proxies
 * of other instances, Docker and the network plugin keep their rules.
 */
import { jumpTarget, type SavedState, sameSpec } from './iptables-save.js';
import { type Jump, type Ruleset, TABLES } from './ruleset.js';

export function restoreText(desired: Ruleset, existing: SavedState, prefix: string): string {
  const out: string[] = [];
  for (const table of TABLES) {
    const wanted = desired[table];
    const saved = existing[table] ?? { chains: [], rules: [] };
    const wantedChains = new Set(wanted.chains);
    const stale = saved.chains.filter((c) => c.startsWith(prefix) && !wantedChains.has(c));
    const jumps = desired.jumps.filter((j) => j.table === table);

    out.push(`*${table}`);
    for (const chain of [...wanted.chains, ...stale]) out.push(`:${chain} - [0:0]`);
    out.push(...jumpEdits(jumps, saved.rules, prefix));
    out.push(...wanted.rules);
    for (const chain of stale) out.push(`-X ${chain}`);
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}

/** The `-D` and `-I` lines that leave each wanted jump exactly once and no other jump into the prefix. */
export function jumpEdits(
  jumps: readonly Jump[],
  savedRules: readonly { chain: string; spec: string }[],
  prefix: string,
): string[] {
  const deletes: string[] = [];
  const found = new Set<Jump>();
  for (const rule of savedRules) {
    if (rule.chain.startsWith(prefix) || !jumpTarget(rule.spec)?.startsWith(prefix)) continue;
    const match = jumps.find((j) => j.chain === rule.chain && !found.has(j) && sameSpec(j.spec, rule.spec));
    if (match) found.add(match);
    else deletes.push(`-D ${rule.chain} ${rule.spec}`);
  }
  // Inserted in reverse so that, where several go into one chain, they end up in the listed order.
  const inserts = jumps
    .filter((j) => !found.has(j))
    .reverse()
    .map((j) => `-I ${j.chain} ${j.spec}`);
  return [...deletes, ...inserts];
}
