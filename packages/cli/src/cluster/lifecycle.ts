/** Starting, stopping and inspecting one component through its pid record. */
import { setTimeout as sleep } from 'node:timers/promises';
import { StepError } from '../steps/step-runner.js';
import type { ClusterContext, Component } from './component.js';
import { tailLines } from './log-tail.js';
import {
  isRecordedProcessRunning,
  type PidRecord,
  readPidRecord,
  removePidRecord,
  writePidRecord,
} from './pid-file.js';
import { isPortFree } from './ports.js';
import { startDetached, stopProcess } from './processes.js';

const PROBE_INTERVAL_MS = 200;
const LOG_LINES_ON_FAILURE = 12;

export interface ComponentState {
  component: Component;
  running: boolean;
  record?: PidRecord;
  ready: boolean;
}

/** The running record, or undefined (a stale pid file is removed). */
export async function runningRecord(component: Component, context: ClusterContext): Promise<PidRecord | undefined> {
  const path = context.dir.pidFileOf(component.name);
  const record = await readPidRecord(path);
  if (!record) return undefined;
  if (await isRecordedProcessRunning(record)) return record;
  await removePidRecord(path);
  return undefined;
}

export async function componentState(component: Component, context: ClusterContext): Promise<ComponentState> {
  const record = await readPidRecord(context.dir.pidFileOf(component.name));
  const running = record !== undefined && (await isRecordedProcessRunning(record));
  const ready = running && (await component.probe(context));
  return { component, running, ready, ...(record && running ? { record } : {}) };
}

/** Starts the component unless it runs; waits until it is ready. Returns what to show. */
export async function startComponent(component: Component, context: ClusterContext): Promise<string> {
  const logFile = context.dir.logOf(component.name);
  const existing = await runningRecord(component, context);
  if (existing) {
    await waitReady(component, context, logFile, () => undefined);
    return `already running, pid ${existing.pid}, ${existing.address}`;
  }
  for (const [what, port] of Object.entries(component.ports(context))) {
    if (!(await isPortFree(port))) {
      throw new StepError(`port ${port} (${component.displayName}, ${what}) is taken by another program`, [
        'stop that program, or pick other ports with tkube up --port/--grpc-port/--nats-port on a new --data-dir',
      ]);
    }
  }
  const { file, args } = await component.command(context);
  const child = await startDetached(file, args, logFile, context.dir.root);
  const record: PidRecord = {
    pid: child.pid,
    argv: [file, ...args],
    address: component.address(context),
    ports: component.ports(context),
    startedAt: new Date().toISOString(),
  };
  // Written before waiting, so `tkube down` can stop a component that never got ready.
  await writePidRecord(context.dir.pidFileOf(component.name), record);
  try {
    await waitReady(component, context, logFile, child.exit);
  } finally {
    child.release();
  }
  return `pid ${child.pid}, ${record.address}`;
}

export async function stopComponent(component: Component, context: ClusterContext): Promise<string> {
  const path = context.dir.pidFileOf(component.name);
  const record = await runningRecord(component, context);
  if (!record) return 'not running';
  const result = await stopProcess(record.pid, component.stopTimeoutMs);
  await removePidRecord(path);
  if (result === 'killed') {
    return `pid ${record.pid} killed after ${component.stopTimeoutMs / 1000}s (see ${context.dir.logOf(component.name)})`;
  }
  return `pid ${record.pid} stopped`;
}

async function waitReady(
  component: Component,
  context: ClusterContext,
  logFile: string,
  exit: () => { code: number | null; signal: NodeJS.Signals | null } | undefined,
): Promise<void> {
  const deadline = Date.now() + component.readyTimeoutMs;
  while (Date.now() < deadline) {
    if (await component.probe(context)) return;
    const exited = exit();
    if (exited) {
      const how = exited.signal ? `signal ${exited.signal}` : `code ${exited.code}`;
      throw await failure(`${component.displayName} exited (${how}) before it was ready`, logFile);
    }
    await sleep(PROBE_INTERVAL_MS);
  }
  throw await failure(
    `${component.displayName} was not ready after ${component.readyTimeoutMs / 1000}s at ${component.address(context)}`,
    logFile,
  );
}

async function failure(message: string, logFile: string): Promise<StepError> {
  const lines = await tailLines(logFile, LOG_LINES_ON_FAILURE);
  const hints = [`log: ${logFile}`];
  if (lines.length > 0) hints.push('last lines:', ...lines.map((l) => `  ${l}`));
  return new StepError(message, hints);
}
