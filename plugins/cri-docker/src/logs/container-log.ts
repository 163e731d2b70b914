/**
 * Copies one container's output from Docker into its CRI log file, from where the last run
 * stopped: the file's last timestamp is the resume point, so a restarted plugin neither
 * loses nor repeats lines. Ends when Docker ends the stream (the container stopped).
 */

import { type FileHandle, mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import type { DockerEngine } from '../docker/engine.js';
import { nanosToDockerSince, rfc3339ToNanos } from '../timestamps.js';
import { entriesOfMessage, formatCriLine, type LogEntry, lastTimestampOf, TtyLogSplitter } from './cri-log-format.js';
import { FrameDemuxer } from './docker-frames.js';

const TAIL_BYTES = 64 * 1024;

export interface ContainerLogOptions {
  engine: DockerEngine;
  containerId: string;
  path: string;
  tty: boolean;
  /** Create the file when missing; false for a container that already exited (its pod may be gone). */
  createFile: boolean;
}

async function readTail(path: string): Promise<Buffer | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer;
  } finally {
    await handle.close();
  }
}

export class ContainerLog {
  private file: FileHandle | undefined;
  private source: Readable | undefined;
  private stopped = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly options: ContainerLogOptions) {}

  get containerId(): string {
    return this.options.containerId;
  }

  /** Copies until the container's stream ends or stop() is called. */
  async run(): Promise<void> {
    const { path, tty } = this.options;
    if (!this.options.createFile && !(await exists(path))) return;
    const tail = await readTail(path);
    const lastTimestamp = tail && lastTimestampOf(tail);
    const resumeAfter = lastTimestamp ? rfc3339ToNanos(lastTimestamp) : 0n;
    await mkdir(dirname(path), { recursive: true });
    this.file = await open(path, 'a');
    if (this.stopped) return this.close();
    try {
      // Docker's follow mode drops what a container flushes as it exits (a last line without
      // its newline), so a second, non-following read picks up anything newer than the first.
      const newest = await this.copy(true, resumeAfter, tty);
      if (!this.stopped) await this.copy(false, newest, tty);
    } catch (err) {
      if (!this.stopped) throw err;
    } finally {
      await this.close();
    }
  }

  /** Copies Docker's output newer than `after` (ns); returns the newest timestamp copied. */
  private async copy(follow: boolean, after: bigint, tty: boolean): Promise<bigint> {
    const { engine, containerId } = this.options;
    this.source = await engine.logs(containerId, {
      follow,
      ...(after > 0n ? { since: nanosToDockerSince(after) } : {}),
    });
    if (this.stopped) this.source.destroy();
    let newest = after;
    // `since` is inclusive: drop what the file already holds.
    const fresh = (entry: LogEntry) => {
      const at = rfc3339ToNanos(entry.timestamp);
      if (after !== 0n && at <= after) return false;
      if (at > newest) newest = at;
      return true;
    };
    const demuxer = new FrameDemuxer();
    const splitter = new TtyLogSplitter();
    for await (const chunk of this.source) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      const entries = tty
        ? splitter.push(bytes)
        : demuxer.push(bytes).flatMap((frame) => entriesOfMessage(frame.stream, frame.payload));
      await this.append(entries.filter(fresh));
    }
    if (tty) await this.append(splitter.flush().filter(fresh));
    return newest;
  }

  /** Reopens the file by path (the kubelet rotated it: the old name now points elsewhere). */
  async reopen(): Promise<void> {
    await this.enqueue(async () => {
      await this.file?.close();
      await mkdir(dirname(this.options.path), { recursive: true });
      this.file = await open(this.options.path, 'a');
    });
  }

  stop(): void {
    this.stopped = true;
    this.source?.destroy();
  }

  private append(entries: LogEntry[]): Promise<void> {
    if (!entries.length) return this.writing;
    const bytes = Buffer.concat(entries.map(formatCriLine));
    return this.enqueue(async () => {
      await this.file?.write(bytes);
    });
  }

  /** File operations run one at a time, in order (writes and reopen). */
  private enqueue(operation: () => Promise<void>): Promise<void> {
    this.writing = this.writing.then(operation, operation);
    return this.writing;
  }

  private async close(): Promise<void> {
    await this.enqueue(async () => {
      await this.file?.close();
      this.file = undefined;
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
