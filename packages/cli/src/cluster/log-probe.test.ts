import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeLogLine } from './log-probe.js';
import { writePidRecord } from './pid-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tkube-log-probe-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function setup(lines: string[], pid: number) {
  const log = join(dir, 'scheduler.log');
  const pidFile = join(dir, 'scheduler.pid');
  await writeFile(log, `${lines.join('\n')}\n`);
  await writePidRecord(pidFile, { pid, argv: ['node'], address: '', ports: {}, startedAt: '' });
  return { log, pidFile };
}

describe('probeLogLine', () => {
  it("is ready once this run's process logged the message", async () => {
    const { log, pidFile } = await setup(
      ['{"level":30,"pid":7,"msg":"starting"}', '{"level":30,"pid":7,"msg":"caches synced"}'],
      7,
    );
    expect(await probeLogLine(log, pidFile, 'caches synced')).toBe(true);
  });

  it('ignores the line an earlier run left in the same log', async () => {
    const { log, pidFile } = await setup(['{"level":30,"pid":6,"msg":"caches synced"}'], 7);
    expect(await probeLogLine(log, pidFile, 'caches synced')).toBe(false);
  });

  it('is not ready without a log or a pid file', async () => {
    expect(await probeLogLine(join(dir, 'none.log'), join(dir, 'none.pid'), 'caches synced')).toBe(false);
  });
});
