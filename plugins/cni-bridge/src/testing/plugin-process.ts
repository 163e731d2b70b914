/**
 * The real `tkube-cni-bridge` process for integration tests: built with `tsc -b`,
 * started on a temporary unix socket with a test bridge and pod CIDR, stopped with SIGTERM
 * (or killed, to test a restart after a crash). Keeps its output for failure messages.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CniClient } from '@tkube/api/cni';
import { connectCni } from '@tkube/api/cni';
import { run } from './netns.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const MAIN = `${REPOSITORY_ROOT}plugins/cni-bridge/dist/main.js`;

export async function buildPlugin(): Promise<void> {
  await run('npx', ['tsc', '-b', `${REPOSITORY_ROOT}plugins/cni-bridge`], 180_000);
}

export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built program to its end (`--teardown ...`) and resolves however it exits. */
export function runPluginCommand(args: readonly string[]): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export interface PluginProcessOptions {
  socketPath: string;
  bridge: string;
  /** Undefined: started without --pod-cidr, to learn the block from an Add's ipRanges. */
  podCidr: string | undefined;
  clusterCidr: string;
  stateDir: string;
}

export class PluginProcess {
  private child: ChildProcess | undefined;
  output = '';

  constructor(private readonly options: PluginProcessOptions) {}

  /** Starts the process and resolves with a client once its socket answers. */
  async start(): Promise<CniClient> {
    const { socketPath, bridge, podCidr, clusterCidr, stateDir } = this.options;
    const args = [
      MAIN,
      '--listen',
      `unix://${socketPath}`,
      '--bridge',
      bridge,
      ...(podCidr === undefined ? [] : ['--pod-cidr', podCidr]),
      '--cluster-cidr',
      clusterCidr,
      '--state-dir',
      stateDir,
      '--log-level',
      'debug',
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.append(chunk));
    const client = connectCni(socketPath, { callTimeoutMs: 30_000 });
    try {
      await client.waitForReady(20_000);
    } catch (error) {
      client.close();
      throw new Error(`the plugin did not start: ${String(error)}\n${this.output}`);
    }
    return client;
  }

  /** SIGTERM, and resolves with the exit code. */
  stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  /** SIGKILL: as a crash, leaving its socket file behind. */
  kill(): Promise<number | null> {
    return this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child?.exitCode ?? null);
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }

  private append(chunk: Buffer): void {
    // Bounded: a chatty process must not grow the test's memory without end.
    this.output = (this.output + chunk.toString()).slice(-200_000);
  }
}
