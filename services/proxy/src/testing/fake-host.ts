/** A host in miniature for unit tests: commands recorded and answered, sysctls in a map, tables in memory. */
import type { CommandResult, CommandRunner } from '../iptables/command-runner.js';
import { parseIptablesSave, type SavedState } from '../rules/iptables-save.js';
import type { Sysctl } from '../sync/host-network.js';
import type { RuleWriter } from '../sync/proxier.js';

export class FakeRunner implements CommandRunner {
  readonly calls: { command: string; args: string[]; stdin: string | undefined }[] = [];
  answer: (command: string, args: readonly string[]) => CommandResult = () => ({ code: 0, stdout: '', stderr: '' });

  async run(command: string, args: readonly string[], stdin?: string): Promise<CommandResult> {
    this.calls.push({ command, args: [...args], stdin });
    return this.answer(command, args);
  }
}

export class FakeSysctl implements Sysctl {
  constructor(
    readonly values: Map<string, string>,
    private readonly readOnly: ReadonlySet<string> = new Set(),
  ) {}

  async read(name: string): Promise<string | undefined> {
    return this.values.get(name);
  }

  async write(name: string, value: string): Promise<void> {
    if (this.readOnly.has(name) || !this.values.has(name)) throw new Error(`EACCES ${name}`);
    this.values.set(name, value);
  }
}

/** A RuleWriter that keeps the last restore and answers save from a text. */
export class FakeWriter implements RuleWriter {
  saved = '';
  readonly restores: string[] = [];
  failNext = 0;

  async save(): Promise<SavedState> {
    return parseIptablesSave(this.saved);
  }

  async restore(text: string): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('iptables-restore: line 3 failed');
    }
    this.restores.push(text);
  }
}
