/**
 * A real nats-server with JetStream for integration and end-to-end tests: on 127.0.0.1,
 * a free port and a data directory of its own (temporary unless given). The server can be
 * killed (SIGKILL, as a crash) and restarted on the same port and data, which is how the
 * tests show that acknowledged writes survive and that clients reconnect.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NATS_BINARY, freePort, LOOPBACK, spawnNatsServer, terminate } from './nats-process.js';

export interface NatsServerOptions {
  /** JetStream's store directory; a temporary one (removed by stop) when absent. */
  dataDir?: string;
  /** A free port is chosen when absent. */
  port?: number;
  /** The binary (default: NATS_SERVER_BIN, else /usr/sbin/nats-server). */
  binary?: string;
}

export interface NatsServerHandle {
  url: string;
  port: number;
  dataDir: string;
  /** The running server's process id (undefined while stopped). */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM); removes the data directory when the harness made it. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), keeping its data for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data (stopping it first if it runs). */
  restart(): Promise<void>;
}

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? DEFAULT_NATS_BINARY;
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tkube-nats-')));
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  let removed = false;

  const start = async () => {
    if (removed) throw new Error('this nats-server was stopped and its temporary data removed');
    child = await spawnNatsServer(
      binary,
      ['-a', LOOPBACK, '-p', String(port), '-js', '-sd', dataDir],
      `on port ${port}`,
    );
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (running) await terminate(running, signal);
  };

  try {
    await start();
  } catch (err) {
    if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    throw err;
  }

  return {
    url: `nats://${LOOPBACK}:${port}`,
    port,
    dataDir,
    get pid() {
      return child?.pid;
    },
    async stop() {
      await halt('SIGTERM');
      if (ownDataDir && !removed) {
        removed = true;
        await rm(dataDir, { recursive: true, force: true });
      }
    },
    async kill() {
      await halt('SIGKILL');
    },
    async restart() {
      await halt('SIGTERM');
      await start();
    },
  };
}
