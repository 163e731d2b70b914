/**
 * Running real nats-server processes for tests: spawn one and wait until it accepts
 * clients, stop it, and find free ports on loopback. Shared by the single-server and the
 * cluster harnesses.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';
export const DEFAULT_NATS_BINARY = '/usr/sbin/nats-server';
const READY_LINE = 'Server is ready';
const SPAWN_TIMEOUT_MS = 15_000;
const EXIT_TIMEOUT_MS = 10_000;
/** Log kept per server for error messages: the tail only, so a long test cannot grow it. */
const LOG_TAIL_CHARS = 8_000;

/** Servers still running when the test process exits are killed with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Spawns nats-server and resolves once it logs that it accepts clients; `name` is for messages. */
export function spawnNatsServer(binary: string, args: string[], name: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('exit', () => running.delete(child));
    let log = '';
    let ready = false;
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`nats-server ${name} ${why}\n${log}`));
    };
    const timer = setTimeout(() => fail(`was not ready within ${SPAWN_TIMEOUT_MS} ms`), SPAWN_TIMEOUT_MS);
    // The pipes are read for the server's whole life: a full pipe would block its logging.
    const onOutput = (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
      if (!ready && log.includes(READY_LINE)) {
        ready = true;
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

/** Sends the signal and resolves once the process is gone (SIGKILL after a timeout). */
export function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
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
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}
