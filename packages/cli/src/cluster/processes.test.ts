import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isAlive } from './pid-file.js';
import { hasExited, stopProcess } from './processes.js';

describe('stopping a process', () => {
  it('counts a zombie nobody has reaped yet as exited', async () => {
    // `sleep 0.1` is left to a parent (exec'd `sleep`) that never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d) => resolve(String(d)))));
      expect(hasExited(pid)).toBe(false);
      const deadline = Date.now() + 3_000;
      while (!hasExited(pid) && Date.now() < deadline) await sleep(50);
      expect(hasExited(pid)).toBe(true);
      expect(isAlive(pid)).toBe(true); // still in the process table
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('stops a running process with SIGTERM', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid ?? 0;
    expect(await stopProcess(pid, 5_000)).toBe('stopped');
    expect(await stopProcess(pid, 5_000)).toBe('not-running');
  });
});
