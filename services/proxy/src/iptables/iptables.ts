/** iptables-save and iptables-restore, the only two calls the proxy makes to write rules. */
import { StatusError } from '@tkube/api';
import { parseIptablesSave, type SavedState } from '../rules/iptables-save.js';
import { TABLES } from '../rules/ruleset.js';
import type { CommandRunner } from './command-runner.js';

export class Iptables {
  constructor(private readonly runner: CommandRunner) {}

  /** The nat and filter tables as they are now. */
  async save(): Promise<SavedState> {
    const texts: string[] = [];
    for (const table of TABLES) {
      const result = await this.runner.run('iptables-save', ['-t', table]);
      if (result.code !== 0) {
        throw StatusError.internal(`iptables-save -t ${table} failed (exit ${result.code}): ${result.stderr.trim()}`);
      }
      texts.push(result.stdout);
    }
    return parseIptablesSave(texts.join('\n'));
  }

  /** Applies `text` in one transaction; other chains are left as they are (--noflush). */
  async restore(text: string): Promise<void> {
    const result = await this.runner.run('iptables-restore', ['--noflush'], text);
    if (result.code !== 0) {
      throw StatusError.internal(`iptables-restore failed (exit ${result.code}): ${result.stderr.trim()}`);
    }
  }
}
