/**
 * Integration-test helpers: build and start the real tkube-cri-docker process on a unix
 * socket in a temporary directory, talk to it with the generated client, and remove every
 * Docker container a test made (found by the pod uids it used), also on failure.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CriConnection, connectCri } from '@tkube/api/cri';
import Docker from 'dockerode';

const PACKAGE_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const REPO_ROOT = resolve(PACKAGE_DIR, '../..');

export function buildPlugin(): void {
  execFileSync(join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-b', 'plugins/cri-docker'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
}

export interface PluginProcess {
  dir: string;
  socket: string;
  cri: CriConnection;
  output: () => string;
  stop(): Promise<void>;
}

export async function startPlugin(name: string): Promise<PluginProcess> {
  const dir = mkdtempSync(join(tmpdir(), `cri-docker-${name}-`));
  const socket = join(dir, 'cri.sock');
  let output = '';
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(PACKAGE_DIR, 'dist/main.js'),
      '--listen',
      `unix://${socket}`,
      '--root-dir',
      join(dir, 'root'),
      '--streaming-address',
      '127.0.0.1:0',
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 15_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tkube-cri-docker did not start: ${output}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  const cri = connectCri(socket);
  await cri.runtimeApi.version({}, { timeoutMs: 10_000 });
  return {
    dir,
    socket,
    cri,
    output: () => output,
    stop: async () => {
      cri.close();
      if (child.exitCode === null) {
        const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Force-removes every container labelled with one of the pod uids. */
export async function removePods(uids: Iterable<string>): Promise<void> {
  const docker = new Docker({ socketPath: '/var/run/docker.sock' });
  for (const uid of uids) {
    const rows = await docker.listContainers({ all: true, filters: { label: [`io.kubernetes.pod.uid=${uid}`] } });
    await Promise.all(
      rows.map((row) =>
        docker
          .getContainer(row.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
  }
}

/** Polls `check` every 100 ms until it returns a value, for at most `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}
