/**
 * Runs Debian's openssl binary (installed by deploy/install.sh).
 *
 * Why the binary and not @peculiar/x509: that library resolves its algorithms through
 * tsyringe, which refuses to load without a `reflect-metadata` polyfill that is not a
 * dependency here; openssl is already a prerequisite of the machine and makes standard,
 * well-tested certificates with two commands.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Where openssl is looked up; overridable for machines that keep it elsewhere. */
const OPENSSL = process.env.TKUBE_OPENSSL ?? 'openssl';
const OPENSSL_TIMEOUT_MS = 30_000;

export class OpensslError extends Error {
  override name = 'OpensslError';
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || 'no output'}`, options);
  }
}

export async function runOpenssl(args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(OPENSSL, [...args], { timeout: OPENSSL_TIMEOUT_MS });
    return stdout;
  } catch (err) {
    const stderr = typeof err === 'object' && err !== null && 'stderr' in err ? String(err.stderr) : '';
    const message = err instanceof Error ? err.message : String(err);
    throw new OpensslError(args, stderr || message, { cause: err });
  }
}
