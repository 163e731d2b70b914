/**
 * Running the host's tools (iptables-save, iptables-restore, conntrack, sysctl files) behind
 * a narrow interface, so that the proxy's logic is tested without root.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CommandRunner {
  /** Runs `command` with `args`, writing `stdin` to it; never rejects for a non-zero exit. */
  run(command: string, args: readonly string[], stdin?: string): Promise<CommandResult>;
}

/** How long one command may take before it is killed (a stuck xtables lock, say). */
const COMMAND_TIMEOUT_MS = 30_000;

export const hostRunner: CommandRunner = {
  run(command, args, stdin) {
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: COMMAND_TIMEOUT_MS });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', reject);
      child.on('close', (code, signal) =>
        resolve({
          code: code ?? (signal ? 128 : 1),
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
        }),
      );
      // A command that exits before reading its input must not crash us with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(stdin ?? '');
    });
  },
};
