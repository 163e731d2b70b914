/**
 * A real nats-server with JetStream for integration and end-to-end tests: on 127.0.0.1,
 * a free port and a data directory of its own (temporary unless given). The server can be
 * killed (SIGKILL, as a crash) and restarted on the same port and data, which is how the
 * tests show that acknowledged writes survive and that clients reconnect.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  /** Stops the server (SIGTERM); removes the data directory when the harness made it. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), keeping its data for restart(). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and data (stopping it first if it runs). */
  restart(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_BINARY = '/usr/sbin/nats-server';
const READY_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 10_000;
const READY_LINE = 'Server is ready';

/** Servers still running when the test process exits are killed with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const binary = options.binary ?? process.env.NATS_SERVER_BIN ?? DEFAULT_BINARY;
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tkube-nats-')));
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;
  let removed = false;

  const start = async () => {
    if (removed) throw new Error('this nats-server was stopped and its temporary data removed');
    child = await spawnReady(binary, ['-a', HOST, '-p', String(port), '-js', '-sd', dataDir], port);
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
    url: `nats://${HOST}:${port}`,
    port,
    dataDir,
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

/** Spawns the server and resolves once it logs that it accepts clients. */
function spawnReady(binary: string, args: string[], port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`nats-server on port ${port} ${why}\n${output.slice(-4000)}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      if (output.includes(READY_LINE)) return;
      output += chunk.toString('utf8');
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        child.removeListener('exit', onEarlyExit);
        resolve(child);
      }
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited (${code ?? signal}) before it was ready`);
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.once('error', (err) => fail(`could not start: ${err.message}`));
    child.once('exit', onEarlyExit);
  });
}

function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A port the kernel just handed out on 127.0.0.1 (free unless someone takes it first). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
