/**
 * What the Services' network left on the host: each node's proxy chains and jumps (removed
 * by `tkube-proxy --cleanup`, as kube-proxy's own flag does) and the cluster DNS's interface
 * (`tkube-dns --cleanup`). Both are idempotent: nothing left is fine.
 */
import { StepError } from '../steps/step-runner.js';
import type { HostCommands } from './host-commands.js';

/** Runs a cleanup program; answers "removed" or throws with its output. */
export async function runCleanup(
  commands: HostCommands,
  what: string,
  command: { file: string; args: string[] },
): Promise<string> {
  const result = await commands.run(command.file, command.args);
  if (result.code !== 0) {
    const message = (result.stderr || result.stdout).trim();
    throw new StepError(
      `${what} could not be cleaned up (exit ${result.code}): ${message}`,
      /Cannot find module/.test(message) ? ['it is not built: run "npm run build"'] : [],
    );
  }
  return 'removed';
}
