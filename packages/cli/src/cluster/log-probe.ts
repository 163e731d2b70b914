/**
 * Readiness read from a component's own JSON log, for programs that serve no /healthz
 * (the scheduler): ready once the process recorded in its pid file has logged `message`.
 * The pid tells this run's line from one an earlier run left in the same log.
 */
import { open } from 'node:fs/promises';
import { readPidRecord } from './pid-file.js';

/** How far back from the end of the log to look: the ready line comes early, logs are small. */
const SCAN_BYTES = 8 * 1024 * 1024;

export async function probeLogLine(logFile: string, pidFile: string, message: string): Promise<boolean> {
  const record = await readPidRecord(pidFile);
  if (!record) return false;
  const text = await readTail(logFile, SCAN_BYTES);
  for (const line of text.split('\n')) {
    if (!line.includes(message)) continue;
    try {
      const entry: unknown = JSON.parse(line);
      if (typeof entry !== 'object' || entry === null) continue;
      const { msg, pid } = entry as { msg?: unknown; pid?: unknown };
      if (msg === message && pid === record.pid) return true;
    } catch {
      // A line being written, or not JSON: not the one.
    }
  }
  return false;
}

async function readTail(path: string, bytes: number): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } catch {
    return '';
  } finally {
    await handle?.close();
  }
}
