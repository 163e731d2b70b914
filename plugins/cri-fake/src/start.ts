/**
 * The fake runtime served on a unix socket, started and stopped as one: what the binary
 * runs, and what tests run in-process.
 */

import { grpcTargetOf, socketPathOf } from '@tkube/api/cri';
import { type Logger, pino } from 'pino';
import type { Clock } from './clock.js';
import { serveCri } from './cri-server.js';
import { FakeRuntime } from './fake-runtime.js';
import { ImageStore } from './image-store.js';
import { DEFAULT_POD_CIDR, IpPool } from './ip-pool.js';

/** Images a fresh fake node has, the ones `deploy/install.sh` builds for a real node. */
export const DEFAULT_IMAGES = ['busybox:1.35', 'busybox:latest', 'tkube/pause:3.10'];

export interface FakeRuntimeServerOptions {
  /** `unix:///run/tkube/cri-fake.sock` or a path; a stale socket there is removed. */
  listen: string;
  /** Images present from the start (default DEFAULT_IMAGES). */
  images?: readonly string[];
  /** Where fake pod IPs come from (default 10.88.0.0/16). */
  podCidr?: string;
  /** Silent unless given. */
  logger?: Logger;
  clock?: Clock;
}

export interface RunningFakeRuntime {
  socketPath: string;
  /** The state behind the socket, for tests that script exits or inspect it directly. */
  runtime: FakeRuntime;
  /**
   * Stops serving (calls in flight get `graceMs`, by default the server's short grace),
   * cancels pending scripted exits and removes the socket.
   */
  stop(graceMs?: number): Promise<void>;
}

export async function startFakeRuntime(options: FakeRuntimeServerOptions): Promise<RunningFakeRuntime> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const socketPath = socketPathOf(options.listen);
  const runtime = new FakeRuntime({
    images: new ImageStore(options.images ?? DEFAULT_IMAGES),
    ipPool: new IpPool(options.podCidr ?? DEFAULT_POD_CIDR),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const serving = await serveCri(runtime, logger, grpcTargetOf(options.listen));

  let stopped: Promise<void> | undefined;
  const stop = async (graceMs?: number): Promise<void> => {
    await serving.stop(graceMs);
    runtime.close();
  };
  return {
    socketPath,
    runtime,
    stop: (graceMs) => (stopped ??= stop(graceMs)),
  };
}
