/**
 * What `--cleanup` does, as iptables-restore --noflush input: delete every jump into the
 * instance's chains, then flush and delete the chains. Undefined when nothing is left.
 */
import { jumpTarget, type SavedState } from './iptables-save.js';
import { TABLES } from './ruleset.js';

export function cleanupText(existing: SavedState, prefix: string): string | undefined {
  const out: string[] = [];
  for (const table of TABLES) {
    const saved = existing[table];
    if (!saved) continue;
    const chains = saved.chains.filter((c) => c.startsWith(prefix));
    const jumps = saved.rules.filter((r) => !r.chain.startsWith(prefix) && jumpTarget(r.spec)?.startsWith(prefix));
    if (chains.length === 0 && jumps.length === 0) continue;
    out.push(`*${table}`);
    for (const chain of chains) out.push(`:${chain} - [0:0]`);
    for (const jump of jumps) out.push(`-D ${jump.chain} ${jump.spec}`);
    for (const chain of chains) out.push(`-X ${chain}`);
    out.push('COMMIT');
  }
  return out.length === 0 ? undefined : `${out.join('\n')}\n`;
}
