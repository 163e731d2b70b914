/** The rules one proxy wants, per table, before they are turned into iptables-restore input. */

export type Table = 'nat' | 'filter';

export interface TableRules {
  /** The proxy's own chains, all flushed and rewritten at each sync. */
  readonly chains: readonly string[];
  /** `-A CHAIN ...` lines, in order. */
  readonly rules: readonly string[];
}

/** A rule in a built-in chain (PREROUTING, INPUT, ...) that leads into one of the proxy's chains. */
export interface Jump {
  readonly table: Table;
  readonly chain: string;
  /** The rule without `-A CHAIN`, as iptables-save prints it. */
  readonly spec: string;
}

export interface Ruleset {
  readonly nat: TableRules;
  readonly filter: TableRules;
  readonly jumps: readonly Jump[];
}

export const TABLES: readonly Table[] = ['nat', 'filter'];
