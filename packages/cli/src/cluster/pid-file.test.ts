import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRecordedProcessRunning, readPidRecord, writePidRecord } from './pid-file.js';
import { stopProcess } from './processes.js';

describe('pid records', () => {
  it('tell our process from another that has the same pid, and see it stop', async () => {
    const argv = [process.execPath, '-e', 'setTimeout(() => {}, 60000)'];
    const child = spawn(argv[0] ?? '', argv.slice(1), { stdio: 'ignore' });
    const dir = await mkdtemp(join(tmpdir(), 'tkube-pid-'));
    try {
      const pid = child.pid ?? 0;
      const path = join(dir, 'x.pid');
      await writePidRecord(path, { pid, argv, address: 'a', ports: { x: 1 }, startedAt: 'now' });
      const record = await readPidRecord(path);
      expect(record?.pid).toBe(pid);
      expect(
        await isRecordedProcessRunning(record ?? { pid: 0, argv: [], address: '', ports: {}, startedAt: '' }),
      ).toBe(true);
      expect(
        await isRecordedProcessRunning({ pid, argv: ['nats-server'], address: 'a', ports: {}, startedAt: '' }),
      ).toBe(false);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      expect(await stopProcess(pid, 5000)).toBe('stopped');
      await exited;
      expect(await isRecordedProcessRunning({ pid, argv, address: 'a', ports: {}, startedAt: '' })).toBe(false);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a cut-short file as no record', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-pid-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'x.pid'), '{"pid": 12');
      expect(await readPidRecord(join(dir, 'x.pid'))).toBeUndefined();
      expect(await readPidRecord(join(dir, 'missing.pid'))).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
