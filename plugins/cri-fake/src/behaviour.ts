/**
 * Scripted behaviour of a fake container, read from its env at CreateContainer, so a pod
 * manifest alone makes the kubelet see crashes, completions and failing exec probes:
 *
 *   FAKE_EXIT_AFTER_MS=N    the "process" exits N ms after StartContainer (else it runs until stopped)
 *   FAKE_EXIT_CODE=M        ... with exit code M (default 0: Completed; otherwise Error)
 *   FAKE_EXEC_EXIT_CODE=M   ExecSync (exec probes) answers exit code M (default 0)
 *
 * A malformed value fails CreateContainer: a typo must not silently become "runs forever".
 */

import type { KeyValue } from '@tkube/api/cri';
import { invalidArgument } from './errors.js';

export const EXIT_AFTER_MS_ENV = 'FAKE_EXIT_AFTER_MS';
export const EXIT_CODE_ENV = 'FAKE_EXIT_CODE';
export const EXEC_EXIT_CODE_ENV = 'FAKE_EXEC_EXIT_CODE';

export interface ContainerBehaviour {
  /** Milliseconds from start to exit; undefined runs until stopped. */
  exitAfterMs: number | undefined;
  exitCode: number;
  execExitCode: number;
}

export const RUN_UNTIL_STOPPED: ContainerBehaviour = { exitAfterMs: undefined, exitCode: 0, execExitCode: 0 };

function integerOf(name: string, text: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw invalidArgument(`env ${name}="${text}" must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function behaviourOf(envs: readonly KeyValue[]): ContainerBehaviour {
  let exitAfter: string | undefined;
  let exitCode: string | undefined;
  let execExitCode: string | undefined;
  // The last of a repeated name wins, as in a process environment built from a list.
  for (const { key, value } of envs) {
    if (key === EXIT_AFTER_MS_ENV) exitAfter = value;
    else if (key === EXIT_CODE_ENV) exitCode = value;
    else if (key === EXEC_EXIT_CODE_ENV) execExitCode = value;
  }
  if (exitAfter === undefined && exitCode === undefined && execExitCode === undefined) return RUN_UNTIL_STOPPED;
  return {
    // Capped below 2^31 ms: setTimeout fires at once for anything larger.
    exitAfterMs: exitAfter === undefined ? undefined : integerOf(EXIT_AFTER_MS_ENV, exitAfter, 0, 2_147_483_647),
    exitCode: exitCode === undefined ? 0 : integerOf(EXIT_CODE_ENV, exitCode, 0, 255),
    execExitCode: execExitCode === undefined ? 0 : integerOf(EXEC_EXIT_CODE_ENV, execExitCode, 0, 255),
  };
}
