import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingOutput } from '../steps/output.js';
import { formatTable, status } from './status.js';

describe('tkube status', () => {
  it('shows every component stopped in an empty data dir, and fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-status-'));
    try {
      const output = new RecordingOutput();
      expect(await status({ dataDir: dir }, output)).toBe(1);
      expect(output.lines[0]).toBe(`data dir: ${dir}`);
      expect(output.lines[1]).toMatch(/^COMPONENT\s+STATE\s+PID\s+ADDRESS\s+READY$/);
      expect(output.lines[2]).toMatch(/^nats\s+stopped\s+-\s+nats:\/\/127\.0\.0\.1:4222\s+no$/);
      expect(output.lines[3]).toMatch(/^apiserver\s+stopped\s+-\s+https:\/\/127\.0\.0\.1:6443\s+no$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lines columns up', () => {
    expect(
      formatTable([
        ['A', 'BB'],
        ['ccc', 'd'],
      ]),
    ).toEqual(['A     BB', 'ccc   d']);
  });
});
