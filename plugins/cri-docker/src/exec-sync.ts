/**
 * ExecSync: `docker exec` to completion, output captured (16 MiB per stream at most, the
 * rest dropped, as the CRI asks after CVE-2022-1708), a timeout that fails the call with
 * DEADLINE_EXCEEDED (the kubelet counts it as a failed probe).
 */

import type { ExecSyncResponse } from '@tkube/api/cri';
import type { DockerEngine, ExecHandle } from './docker/engine.js';
import { engineFailure, timedOut } from './errors.js';
import { FrameDemuxer } from './logs/docker-frames.js';

export const MAX_EXEC_OUTPUT_BYTES = 16 * 1024 * 1024;

class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  add(chunk: Buffer): void {
    const room = MAX_EXEC_OUTPUT_BYTES - this.size;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** The exit code once Docker records it (it lags the stream's end by a moment). */
export async function waitForExitCode(handle: ExecHandle, attempts = 40, delayMs = 25): Promise<number> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const code = await handle.exitCode();
    if (code !== undefined) return code;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  throw new Error('the exec process did not report an exit code');
}

export async function execSync(
  engine: DockerEngine,
  containerId: string,
  cmd: string[],
  timeoutSeconds: number,
): Promise<ExecSyncResponse> {
  let handle: ExecHandle;
  try {
    handle = await engine.exec(containerId, { cmd, tty: false, stdin: false, stdout: true, stderr: true });
  } catch (err) {
    throw engineFailure(err, `exec ${JSON.stringify(cmd)} in container ${containerId}`);
  }
  const stdout = new CappedBuffer();
  const stderr = new CappedBuffer();
  const demuxer = new FrameDemuxer();
  const finished = new Promise<void>((resolve, reject) => {
    handle.stream.on('data', (chunk: Buffer) => {
      for (const frame of demuxer.push(chunk)) (frame.stream === 'stderr' ? stderr : stdout).add(frame.payload);
    });
    handle.stream.once('end', resolve);
    handle.stream.once('close', resolve);
    handle.stream.once('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline =
    timeoutSeconds > 0
      ? new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000);
        })
      : new Promise<'timeout'>(() => undefined);
  try {
    const outcome = await Promise.race([finished.then(() => 'done' as const), deadline]);
    if (outcome === 'timeout') {
      handle.stream.destroy();
      throw timedOut(`command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`);
    }
  } finally {
    clearTimeout(timer);
  }
  const exitCode = await waitForExitCode(handle).catch((err: unknown) => {
    throw engineFailure(err, `exec ${JSON.stringify(cmd)} in container ${containerId}`);
  });
  return { stdout: stdout.toBuffer(), stderr: stderr.toBuffer(), exitCode };
}
