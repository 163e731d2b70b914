/**
 * The benchmark's cluster: a real nats-server (the apiserver's test harness), a real
 * apiserver process on it, and, once the nodes exist, a real scheduler process, each
 * built (dist/) and on loopback. The scheduler is ready when it logs that it schedules.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../bench-kit/free-port.ts';
// Built code only: this script runs under Node's type stripping, which does not rewrite imports.
import { startNatsServer } from '../../apiserver/dist/testing/nats-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const APISERVER_MAIN = join(here, '../../apiserver/dist/main.js');
const SCHEDULER_MAIN = join(here, '../dist/main.js');
export const TOKEN = 'bench-token';

export interface BenchCluster {
  grpcAddress: string;
  pids: { apiserver: number; natsServer: number };
  startScheduler(): Promise<ChildProcess>;
  stop(): Promise<void>;
}

/** Resolves when the child writes a line containing `text` to stdout; rejects on exit or timeout. */
function waitForLine(child: ChildProcess, text: string, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(
      () => done(new Error(`${what} did not log "${text}" within ${timeoutMs / 1000}s`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered = (buffered + chunk.toString('utf8')).slice(-65_536);
      if (buffered.includes(text)) done();
    };
    const onExit = (code: number | null) => done(new Error(`${what} exited (${code}) before it was ready`));
    const done = (err?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining stdout, or the child blocks on a full pipe.
      child.stdout?.resume();
      if (err) reject(err);
      else resolve();
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startBenchCluster(): Promise<BenchCluster> {
  const work = mkdtempSync(join(tmpdir(), 'tkube-sched-bench-'));
  const tokenFile = join(work, 'tokens.csv');
  writeFileSync(tokenFile, `${TOKEN},bench,bench,"system:masters"\n`);
  const nats = await startNatsServer({ dataDir: join(work, 'nats') });
  const grpcPort = await freePort();
  const grpcAddress = `127.0.0.1:${grpcPort}`;
  const children: ChildProcess[] = [];
  const apiserver = spawn(
    process.execPath,
    [
      APISERVER_MAIN,
      `--nats-servers=${nats.url}`,
      `--secure-port=${await freePort()}`,
      `--grpc-address=${grpcAddress}`,
      `--cert-dir=${join(work, 'pki')}`,
      `--token-file=${tokenFile}`,
      '--log-level=info',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(apiserver);
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    await nats.stop();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    await waitForLine(apiserver, 'apiserver is ready', 60_000, 'the apiserver');
  } catch (err) {
    await stop();
    throw err;
  }
  if (!apiserver.pid || !nats.pid) throw new Error('no pid for the apiserver or nats-server');
  return {
    grpcAddress,
    pids: { apiserver: apiserver.pid, natsServer: nats.pid },
    async startScheduler() {
      const scheduler = spawn(
        process.execPath,
        [
          // BENCH_CPU_PROFILE=dir writes a V8 CPU profile of the scheduler there.
          ...(process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : []),
          SCHEDULER_MAIN,
          `--apiserver-grpc=${grpcAddress}`,
          `--token-file=${tokenFile}`,
          '--log-level=info',
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      children.push(scheduler);
      await waitForLine(scheduler, '"msg":"scheduling"', 120_000, 'the scheduler');
      return scheduler;
    },
    stop,
  };
}
