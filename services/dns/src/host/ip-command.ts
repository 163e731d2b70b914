/** The one outside command the interface setup runs: iproute2's `ip`, behind a narrow interface tests replace. */
import { execFile } from 'node:child_process';

export interface IpCommand {
  /** Runs `ip ...args`; resolves with its stdout, rejects with an IpCommandError. */
  run(args: readonly string[]): Promise<string>;
}

export class IpCommandError extends Error {
  override name = 'IpCommandError';
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`ip ${args.join(' ')} failed: ${stderr.trim() || 'no message'}`, options);
  }
}

const IP_TIMEOUT_MS = 10_000;

export const systemIp: IpCommand = {
  run: (args) =>
    new Promise((resolve, reject) => {
      execFile('ip', [...args], { timeout: IP_TIMEOUT_MS }, (err, stdout, stderr) => {
        if (err) reject(new IpCommandError(args, String(stderr || err.message), { cause: err }));
        else resolve(String(stdout));
      });
    }),
};
