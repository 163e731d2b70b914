/** A HostCommands for tests: records every argv and answers from a script (default: exit 0, no output). */
import type { HostCommandResult, HostCommands } from '../host-commands.js';

export type Script = Record<string, Partial<HostCommandResult> | 'not installed'>;

export interface ScriptedCommands extends HostCommands {
  /** Each call as one line: "file arg1 arg2 ...". */
  readonly calls: string[];
}

export function scriptedCommands(script: Script = {}): ScriptedCommands {
  const calls: string[] = [];
  return {
    calls,
    async run(file, args) {
      const line = [file, ...args].join(' ');
      calls.push(line);
      const answer = script[line];
      if (answer === 'not installed') {
        throw Object.assign(new Error(`spawn ${file} ENOENT`), { code: 'ENOENT' });
      }
      return { code: 0, stdout: '', stderr: '', ...answer };
    },
  };
}
