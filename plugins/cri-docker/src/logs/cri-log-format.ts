/**
 * The CRI log format the kubelet reads (`kubectl logs`):
 *
 *   2016-10-06T00:17:09.669794202Z stdout F the message
 *
 * RFC 3339 nano timestamp, the stream, the tag (F a full line, P a part of a line longer
 * than the runtime's buffer, continued by the next entries), the content without its
 * newline.
 *
 * Input here is Docker's log output with timestamps: each message is
 * "<RFC3339Nano> <content>", ending with "\n" when it completes a line; Docker splits
 * lines longer than 16 KiB into messages without the newline, which become P entries.
 */

import type { DockerStream } from './docker-frames.js';

export type LogTag = 'F' | 'P';

export interface LogEntry {
  timestamp: string;
  stream: 'stdout' | 'stderr';
  tag: LogTag;
  content: Buffer;
}

export function formatCriLine(entry: LogEntry): Buffer {
  return Buffer.concat([Buffer.from(`${entry.timestamp} ${entry.stream} ${entry.tag} `), entry.content, NEWLINE]);
}

const NEWLINE = Buffer.from('\n');
const SPACE = 0x20;
const LF = 0x0a;

/**
 * One Docker log message -> CRI entries. A message holding several lines (never from
 * Docker's json-file driver, but cheap to honour) gives one F entry per line.
 */
export function entriesOfMessage(stream: DockerStream, message: Buffer): LogEntry[] {
  const space = message.indexOf(SPACE);
  if (space <= 0) return [];
  const timestamp = message.subarray(0, space).toString('latin1');
  const criStream = stream === 'stderr' ? 'stderr' : 'stdout';
  let content = message.subarray(space + 1);
  const entries: LogEntry[] = [];
  for (let newline = content.indexOf(LF); newline >= 0; newline = content.indexOf(LF)) {
    entries.push({ timestamp, stream: criStream, tag: 'F', content: content.subarray(0, newline) });
    content = content.subarray(newline + 1);
  }
  if (content.length) entries.push({ timestamp, stream: criStream, tag: 'P', content });
  return entries;
}

/**
 * A tty container's log: one raw byte stream, no frames, so messages are found by newline.
 * A message without its newline at the end of the stream is flushed as a full line.
 */
export class TtyLogSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): LogEntry[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const last = this.pending.lastIndexOf(LF);
    if (last < 0) return [];
    const complete = this.pending.subarray(0, last + 1);
    this.pending = this.pending.subarray(last + 1);
    return linesOf(complete).flatMap((line) => entriesOfMessage('stdout', Buffer.concat([line, NEWLINE])));
  }

  flush(): LogEntry[] {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest.length ? entriesOfMessage('stdout', Buffer.concat([rest, NEWLINE])) : [];
  }
}

function linesOf(buffer: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let newline = buffer.indexOf(LF); newline >= 0; newline = buffer.indexOf(LF, start)) {
    lines.push(buffer.subarray(start, newline));
    start = newline + 1;
  }
  return lines;
}

/** The timestamp of the last complete line of a CRI log file's tail, if any. */
export function lastTimestampOf(tail: Buffer): string | undefined {
  let end = tail.length;
  if (end && tail[end - 1] === LF) end -= 1;
  const start = tail.lastIndexOf(LF, end - 1) + 1;
  const line = tail.subarray(start, end).toString('latin1');
  const space = line.indexOf(' ');
  return space > 0 ? line.slice(0, space) : undefined;
}
