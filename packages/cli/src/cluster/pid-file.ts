/**
 * DIR/run/<name>.pid: a running component's pid with its command line and address, as
 * JSON. The command line lets `down` and `status` tell our process from an unrelated one
 * that got the same pid after a reboot.
 */
import { access, readFile, rm } from 'node:fs/promises';
import { isErrno, readIfExists, writeFileAtomic } from './files.js';

export interface PidRecord {
  pid: number;
  /** The exact argv the process was started with (argv[0] first). */
  argv: string[];
  /** Where it serves ("nats://127.0.0.1:4222", "https://127.0.0.1:6443"). */
  address: string;
  ports: Record<string, number>;
  startedAt: string;
}

export async function writePidRecord(path: string, record: PidRecord): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
}

export async function readPidRecord(path: string): Promise<PidRecord | undefined> {
  const text = await readIfExists(path);
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const r = value as Record<string, unknown>;
    if (typeof r.pid !== 'number' || !Array.isArray(r.argv) || typeof r.address !== 'string') return undefined;
    return {
      pid: r.pid,
      argv: r.argv.map(String),
      address: r.address,
      ports: typeof r.ports === 'object' && r.ports !== null ? (r.ports as Record<string, number>) : {},
      startedAt: typeof r.startedAt === 'string' ? r.startedAt : '',
    };
  } catch {
    // A pid file cut short by a crash names no process we can trust.
    return undefined;
  }
}

export async function removePidRecord(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Whether the pid is alive and (where /proc tells) still runs the recorded command. */
export async function isRecordedProcessRunning(record: PidRecord): Promise<boolean> {
  if (!isAlive(record.pid)) return false;
  let cmdline: string;
  try {
    cmdline = await readFile(`/proc/${record.pid}/cmdline`, 'utf8');
  } catch {
    // Without /proc (not Linux) the pid is all there is to go by.
    return !(await hasProcFs()) && isAlive(record.pid);
  }
  // A zombie has an empty command line: it has exited.
  if (cmdline === '') return false;
  const args = (cmdline.endsWith('\0') ? cmdline.slice(0, -1) : cmdline).split('\0');
  return args.length === record.argv.length && args.every((arg, i) => arg === record.argv[i]);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return isErrno(err, 'EPERM');
  }
}

async function hasProcFs(): Promise<boolean> {
  try {
    await access('/proc/self/cmdline');
    return true;
  } catch {
    return false;
  }
}
