/**
 * How the plugin runs `ip`, `iptables` and `nsenter`: execFile, never a shell, each
 * argument its own argv entry, a deadline on every command. Behind an interface so unit
 * tests can record the commands and fail one on purpose.
 */
import { execFile } from 'node:child_process';

export interface RunOptions {
  /** Written to the command's stdin (`ip -batch -`). */
  input?: string;
}

export interface CommandRunner {
  /** Runs the command and resolves with its stdout; rejects with a CommandError on failure. */
  run(file: string, args: readonly string[], options?: RunOptions): Promise<string>;
}

export class CommandError extends Error {
  override name = 'CommandError';

  constructor(
    readonly command: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${command.join(' ')} failed${exitCode === undefined ? '' : ` (exit ${exitCode})`}: ${stderr.trim()}`,
      options,
    );
  }
}

const COMMAND_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export const execFileRunner: CommandRunner = {
  run(file, args, options = {}) {
    return new Promise((resolve, reject) => {
      const child = execFile(
        file,
        args,
        { timeout: COMMAND_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const exitCode = typeof error.code === 'number' ? error.code : undefined;
          reject(new CommandError([file, ...args], exitCode, stderr || error.message, { cause: error }));
        },
      );
      if (options.input !== undefined) child.stdin?.end(options.input);
      else child.stdin?.end();
    });
  },
};
