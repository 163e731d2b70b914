/** Reads iptables-save output: per table, its chains and its rules (`-A CHAIN spec`). */
import type { Table } from './ruleset.js';

export interface SavedRule {
  readonly chain: string;
  /** The rule without `-A CHAIN`. */
  readonly spec: string;
}

export interface SavedTable {
  readonly chains: readonly string[];
  readonly rules: readonly SavedRule[];
}

export type SavedState = Partial<Record<Table, SavedTable>>;

export function parseIptablesSave(text: string): SavedState {
  const state: Record<string, { chains: string[]; rules: SavedRule[] }> = {};
  let current: { chains: string[]; rules: SavedRule[] } | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) {
      current = { chains: [], rules: [] };
      state[line.slice(1).trim()] = current;
    } else if (line === 'COMMIT') {
      current = undefined;
    } else if (current && line.startsWith(':')) {
      const name = line.slice(1).split(' ')[0];
      if (name) current.chains.push(name);
    } else if (current && line.startsWith('-A ')) {
      const match = /^-A (\S+) ?(.*)$/.exec(line);
      if (match?.[1] !== undefined) current.rules.push({ chain: match[1], spec: match[2] ?? '' });
    }
  }
  const out: SavedState = {};
  if (state.nat) out.nat = state.nat;
  if (state.filter) out.filter = state.filter;
  return out;
}

/** The chain a rule jumps to (`-j X`), if any. */
export function jumpTarget(spec: string): string | undefined {
  return /(?:^| )-j (\S+)/.exec(spec)?.[1];
}

/** Equal rules up to the quoting iptables-save chooses for comments. */
export function sameSpec(a: string, b: string): boolean {
  const normal = (s: string) => s.replaceAll('"', '').replace(/\s+/g, ' ').trim();
  return normal(a) === normal(b);
}
