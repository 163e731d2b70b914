/**
 * The few iptables operations the plugin needs, each idempotent where the plugin needs it
 * to be. Calls from one process run one at a time: concurrent iptables commands fight
 * over the xtables lock (legacy) or the ruleset generation (nft) and fail spuriously.
 */
import type { CommandRunner } from './command-runner.js';
import { CommandError } from './command-runner.js';
import { splitRuleLine } from './iptables-rule.js';

export type Table = 'filter' | 'nat';

/** Waits up to this many seconds for another process's xtables lock. */
const LOCK_WAIT_SECONDS = '5';

export class Iptables {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runner: CommandRunner,
    private readonly binary = 'iptables',
  ) {}

  async ensureChain(table: Table, chain: string): Promise<void> {
    try {
      await this.run(table, ['-N', chain]);
    } catch (error) {
      if (!(error instanceof CommandError && /already exists/i.test(error.stderr))) throw error;
    }
  }

  /** Adds the rule unless it is there: at the top of the chain with `first`, else at the end. */
  async ensureRule(table: Table, chain: string, rule: readonly string[], position: 'first' | 'last'): Promise<void> {
    if (await this.hasRule(table, chain, rule)) return;
    await this.run(table, position === 'first' ? ['-I', chain, '1', ...rule] : ['-A', chain, ...rule]);
  }

  async appendRule(table: Table, chain: string, rule: readonly string[]): Promise<void> {
    await this.run(table, ['-A', chain, ...rule]);
  }

  async hasRule(table: Table, chain: string, rule: readonly string[]): Promise<boolean> {
    try {
      await this.run(table, ['-C', chain, ...rule]);
      return true;
    } catch (error) {
      if (error instanceof CommandError && error.exitCode === 1) return false;
      throw error;
    }
  }

  /** The chain's rules as argument lists (`-A chain ...`); none when the chain does not exist. */
  async listRules(table: Table, chain: string): Promise<string[][]> {
    let output: string;
    try {
      output = await this.run(table, ['-S', chain]);
    } catch (error) {
      if (error instanceof CommandError && isMissingChain(error)) return [];
      throw error;
    }
    return output
      .split('\n')
      .filter((line) => line.startsWith('-A '))
      .map(splitRuleLine);
  }

  /** Deletes every rule of the chain the predicate picks; answers how many went. */
  async deleteRulesWhere(table: Table, chain: string, pick: (rule: string[]) => boolean): Promise<number> {
    let deleted = 0;
    for (const rule of await this.listRules(table, chain)) {
      if (!pick(rule)) continue;
      try {
        await this.run(table, ['-D', ...rule.slice(1)]);
        deleted++;
      } catch (error) {
        // Deleted meanwhile by someone else: the goal is reached.
        if (!(error instanceof CommandError && isMissingRule(error))) throw error;
      }
    }
    return deleted;
  }

  /** Flushes and removes the chain; answers false when it did not exist. */
  async deleteChain(table: Table, chain: string): Promise<boolean> {
    let existed = true;
    for (const args of [
      ['-F', chain],
      ['-X', chain],
    ]) {
      try {
        await this.run(table, args);
      } catch (error) {
        if (!(error instanceof CommandError && isMissingChain(error))) throw error;
        existed = false;
      }
    }
    return existed;
  }

  private run(table: Table, args: readonly string[]): Promise<string> {
    const next = this.queue.then(() => this.runner.run(this.binary, ['-w', LOCK_WAIT_SECONDS, '-t', table, ...args]));
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function isMissingChain(error: CommandError): boolean {
  // iptables-nft 1.8.9 answers `-S` on a missing chain with "chain `X' ... is incompatible".
  return /No chain\/target\/match by that name|does not exist|doesn't exist|is incompatible/i.test(error.stderr);
}

function isMissingRule(error: CommandError): boolean {
  return /Bad rule|does a matching rule exist|No chain\/target\/match by that name/i.test(error.stderr);
}
