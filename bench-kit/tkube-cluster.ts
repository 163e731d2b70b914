/**
 * A benchmark's cluster: the BUILT `tkube up` in a temporary data dir on free loopback
 * ports, with the flags the benchmark adds (its network slot, `--runtime fake`, `--nodes`).
 * Every component is a real process. teardown() always runs `tkube down --purge`, and
 * kills by pid whatever of this cluster outlives it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { runCommand } from './run-command.ts';

const here = dirname(fileURLToPath(import.meta.url));
const CLI_MAIN = join(here, '../packages/cli/dist/main.js');
const UP_TIMEOUT_MS = 240_000;
const DOWN_TIMEOUT_MS = 180_000;

export interface BenchCluster {
  dataDir: string;
  restUrl: string;
  token: string;
  caCert: string;
  upSeconds: number;
}

export function createDataDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `tkube-${prefix}-`));
}

/** `tkube up` on free ports with `flags` besides; throws with the end of its output when it fails. */
export async function startCluster(dataDir: string, flags: readonly string[]): Promise<BenchCluster> {
  const [apiserver, grpc, nats] = [await freePort(), await freePort(), await freePort()];
  const started = performance.now();
  const up = await runCommand(
    process.execPath,
    [
      CLI_MAIN,
      'up',
      '--data-dir',
      dataDir,
      '--port',
      String(apiserver),
      '--grpc-port',
      String(grpc),
      '--nats-port',
      String(nats),
      ...flags,
    ],
    UP_TIMEOUT_MS,
  );
  if (up.code !== 0) throw new Error(`tkube up failed (${up.code}):\n${up.output.slice(-3000)}`);
  return {
    dataDir,
    restUrl: `https://127.0.0.1:${apiserver}`,
    token: readFileSync(join(dataDir, 'token'), 'utf8').trim(),
    caCert: readFileSync(join(dataDir, 'pki', 'ca.crt'), 'utf8'),
    upSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

/** Each component's pid, by its name in DIR/run/<name>.pid ("controller-manager", "proxy-tkube-node-1"). */
export function componentPids(dataDir: string): Record<string, number> {
  const pids: Record<string, number> = {};
  let files: string[] = [];
  try {
    files = readdirSync(join(dataDir, 'run'));
  } catch {
    return pids;
  }
  for (const file of files) {
    if (!file.endsWith('.pid')) continue;
    try {
      const record = JSON.parse(readFileSync(join(dataDir, 'run', file), 'utf8')) as { pid?: unknown };
      if (typeof record.pid === 'number') pids[file.slice(0, -'.pid'.length)] = record.pid;
    } catch {
      // half-written: nothing to go by
    }
  }
  return pids;
}

/**
 * `tkube down --purge`; if it fails, SIGKILL by pid whatever of this cluster still runs (its
 * command line names the data dir, so a reused pid is left alone). Returns what went wrong.
 */
export async function teardown(dataDir: string): Promise<string[]> {
  const problems: string[] = [];
  // Read before down: --purge removes the pid files with the rest.
  const pids = Object.values(componentPids(dataDir));
  const down = await runCommand(
    process.execPath,
    [CLI_MAIN, 'down', '--data-dir', dataDir, '--purge'],
    DOWN_TIMEOUT_MS,
  );
  if (down.code !== 0) {
    problems.push(`tkube down --purge: exit ${down.code} ${down.output.trim().slice(-800)}`);
    killSurvivors(pids, dataDir, problems);
  }
  rmSync(dataDir, { recursive: true, force: true });
  return problems;
}

/**
 * After a failed `tkube down`: SIGKILL, by pid, the processes this cluster started that
 * still run (their command line names the data dir, so a reused pid is left alone).
 */
export function killSurvivors(pids: readonly number[], dataDir: string, problems: string[]): void {
  for (const pid of pids) {
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmdline.includes(dataDir)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      problems.push(`killed pid ${pid}, still running after tkube down`);
    } catch {
      // exited meanwhile
    }
  }
}
