/**
 * Components run as detached background processes: their own session (a Ctrl-C in the
 * terminal that ran `tkube up` does not reach them), output appended to their log file.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlive } from './pid-file.js';

export interface DetachedProcess {
  pid: number;
  /** Set once the process has exited while we were still watching it. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Stops watching so this process (tkube) can end without waiting for it. */
  release(): void;
}

export async function startDetached(
  file: string,
  args: readonly string[],
  logFile: string,
  cwd: string,
): Promise<DetachedProcess> {
  const log = await open(logFile, 'a');
  try {
    await log.write(`--- ${new Date().toISOString()} tkube: starting ${[file, ...args].join(' ')}\n`);
    const child = spawn(file, [...args], { cwd, detached: true, stdio: ['ignore', log.fd, log.fd] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid ?? 0));
      child.once('error', (err) => reject(new Error(`could not run ${file}: ${err.message}`)));
    });
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.once('exit', (code, signal) => {
      exited = { code, signal };
    });
    return {
      pid,
      exit: () => exited,
      release: () => {
        child.removeAllListeners();
        child.unref();
      },
    };
  } finally {
    await log.close();
  }
}

export type StopResult = 'stopped' | 'killed' | 'not-running';

/** SIGTERM, then SIGKILL once `timeoutMs` has passed; resolves when the pid is gone. */
export async function stopProcess(pid: number, timeoutMs: number): Promise<StopResult> {
  // A zombie still takes signals but runs no more: it counts as not running.
  if (hasExited(pid) || !signal(pid, 'SIGTERM')) return 'not-running';
  if (await waitForExit(pid, timeoutMs)) return 'stopped';
  signal(pid, 'SIGKILL');
  if (await waitForExit(pid, 5_000)) return 'killed';
  throw new Error(`process ${pid} did not exit even after SIGKILL`);
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(pid)) return true;
    await sleep(100);
  }
  return hasExited(pid);
}

/**
 * Gone, or a zombie: a component outlives the `tkube up` that started it, so its parent is
 * whatever adopted it, and that may reap it late (seconds, in some containers).
 */
export function hasExited(pid: number): boolean {
  if (!isAlive(pid)) return true;
  try {
    // /proc/<pid>/stat: "pid (comm) state ...": comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc: the pid is all there is to go by
  }
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}
