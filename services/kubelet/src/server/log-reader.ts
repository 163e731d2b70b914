/**
 * Reads a container's CRI log file for `kubectl logs` (kube's ReadLogs): tailLines keeps
 * the last N entries, sinceTime drops earlier entries, limitBytes stops after that many,
 * timestamps prefixes each line with its time, and follow keeps reading what is appended
 * until the container stopped; when a newer container of the same name appears (a
 * restart), follow moves on to its file.
 */
import { open, stat } from 'node:fs/promises';
import { type CriLogEntry, formatEntry, parseCriLogLine } from './cri-log.js';

export interface LogOptions {
  tailLines?: number;
  /** Milliseconds since the epoch; entries before are skipped. */
  sinceTime?: number;
  limitBytes?: number;
  timestamps: boolean;
  follow: boolean;
}

export interface FollowTarget {
  /** Whether the container still runs (more output may come). */
  running(): Promise<boolean>;
  /** The log file of a newer container of the same name, if one started. */
  nextLogPath(): Promise<string | undefined>;
}

export interface LogSink {
  write(text: string): unknown;
  /** Set when the client went away: reading stops. */
  readonly closed: boolean;
}

const POLL_MS = 200;
const CHUNK = 64 * 1024;

export async function readLogs(path: string, options: LogOptions, sink: LogSink, target?: FollowTarget): Promise<void> {
  let written = 0;
  const emit = (entry: CriLogEntry): boolean => {
    if (options.sinceTime !== undefined && entry.time < options.sinceTime) return true;
    let text = formatEntry(entry, options.timestamps);
    if (options.limitBytes !== undefined) {
      const left = options.limitBytes - written;
      if (left <= 0) return false;
      if (Buffer.byteLength(text) > left) text = Buffer.from(text).subarray(0, left).toString('utf8');
    }
    written += Buffer.byteLength(text);
    sink.write(text);
    return options.limitBytes === undefined || written < options.limitBytes;
  };

  let currentPath = path;
  let offset = 0;
  let first = true;
  for (;;) {
    const { entries, nextOffset } = await readEntries(currentPath, offset);
    offset = nextOffset;
    let toSend = entries;
    if (first && options.tailLines !== undefined)
      toSend = entries.slice(Math.max(0, entries.length - options.tailLines));
    first = false;
    for (const entry of toSend) {
      if (!emit(entry)) return;
    }
    if (!options.follow || !target || sink.closed) return;
    if (!(await target.running())) {
      // Whatever was appended before the stop is read once more, then the next container, if any.
      const rest = await readEntries(currentPath, offset);
      offset = rest.nextOffset;
      for (const entry of rest.entries) if (!emit(entry)) return;
      const next = await target.nextLogPath();
      if (!next || next === currentPath) return;
      currentPath = next;
      offset = 0;
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (sink.closed) return;
  }
}

/** The complete entries from `offset` on; a trailing line without its newline is left for later. */
async function readEntries(path: string, offset: number): Promise<{ entries: CriLogEntry[]; nextOffset: number }> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size <= offset) return { entries: [], nextOffset: size < offset ? 0 : offset };
  const handle = await open(path, 'r');
  try {
    const entries: CriLogEntry[] = [];
    let position = offset;
    let carry = '';
    while (position < size) {
      const buffer = Buffer.alloc(Math.min(CHUNK, size - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      carry += buffer.subarray(0, bytesRead).toString('utf8');
      const lines = carry.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        try {
          entries.push(parseCriLogLine(line));
        } catch {
          // A line the runtime tore is skipped, as kube does.
        }
      }
    }
    return { entries, nextOffset: position - Buffer.byteLength(carry) };
  } finally {
    await handle.close();
  }
}
