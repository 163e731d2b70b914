/**
 * The host programs `tkube down --purge` runs (docker, the network plugin), behind a small
 * interface so tests can check the exact argv without touching the host.
 */
import { execFile } from 'node:child_process';

export interface HostCommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HostCommands {
  /** Runs the program to its end; rejects only when it cannot be started (ENOENT: not installed). */
  run(file: string, args: readonly string[]): Promise<HostCommandResult>;
}

const COMMAND_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export const execFileCommands: HostCommands = {
  run: (file, args) =>
    new Promise((resolve, reject) => {
      execFile(
        file,
        [...args],
        { timeout: COMMAND_TIMEOUT_MS, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            reject(error);
            return;
          }
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
        },
      );
    }),
};

/** A command that exited non-zero, with what it printed. */
export class HostCommandError extends Error {
  override name = 'HostCommandError';
  constructor(
    readonly argv: readonly string[],
    readonly result: HostCommandResult,
  ) {
    super(`${argv.join(' ')} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`);
  }
}

/** Runs the command and answers its stdout; a non-zero exit is a HostCommandError. */
export async function runChecked(commands: HostCommands, file: string, args: readonly string[]): Promise<string> {
  const result = await commands.run(file, args);
  if (result.code !== 0) throw new HostCommandError([file, ...args], result);
  return result.stdout;
}

export function isNotInstalled(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
