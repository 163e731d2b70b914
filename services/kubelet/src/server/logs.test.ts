import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatEntry, parseCriLogLine } from './cri-log.js';
import { readLogs } from './log-reader.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelet-logs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseCriLogLine', () => {
  it('reads full and partial lines of both streams', () => {
    expect(parseCriLogLine('2016-10-06T00:17:09.669794202Z stdout F hello world')).toEqual({
      timestamp: '2016-10-06T00:17:09.669794202Z',
      time: Date.parse('2016-10-06T00:17:09.669Z'),
      stream: 'stdout',
      partial: false,
      content: 'hello world',
    });
    expect(parseCriLogLine('2016-10-06T00:17:09.669794202Z stderr P part').partial).toBe(true);
    expect(parseCriLogLine('2016-10-06T00:17:09.669794202Z stdout F ').content).toBe('');
    expect(() => parseCriLogLine('garbage')).toThrow(/invalid CRI log line/);
    expect(() => parseCriLogLine('2016-10-06T00:17:09Z stdin F x')).toThrow(/stream type/);
  });

  it('formats with and without timestamps; partial lines get no newline', () => {
    const entry = parseCriLogLine('2016-10-06T00:17:09.669794202Z stdout P abc');
    expect(formatEntry(entry, false)).toBe('abc');
    expect(formatEntry({ ...entry, partial: false }, true)).toBe('2016-10-06T00:17:09.669794202Z abc\n');
  });
});

const line = (second: number, text: string, tag = 'F') =>
  `2025-01-01T00:00:${String(second).padStart(2, '0')}.000000000Z stdout ${tag} ${text}\n`;

async function collect(path: string, options: Parameters<typeof readLogs>[1], target?: Parameters<typeof readLogs>[3]) {
  let out = '';
  await readLogs(path, options, { write: (t) => void (out += t), closed: false }, target);
  return out;
}

describe('readLogs', () => {
  it('applies tailLines, sinceTime, limitBytes and timestamps', async () => {
    const path = join(dir, '0.log');
    await writeFile(path, line(1, 'one') + line(2, 'two') + line(3, 'thr', 'P') + line(3, 'ee') + line(4, 'four'));
    expect(await collect(path, { timestamps: false, follow: false })).toBe('one\ntwo\nthree\nfour\n');
    expect(await collect(path, { tailLines: 2, timestamps: false, follow: false })).toBe('ee\nfour\n');
    expect(
      await collect(path, { sinceTime: Date.parse('2025-01-01T00:00:03Z'), timestamps: false, follow: false }),
    ).toBe('three\nfour\n');
    expect(await collect(path, { limitBytes: 6, timestamps: false, follow: false })).toBe('one\ntw');
    expect(await collect(path, { tailLines: 1, timestamps: true, follow: false })).toBe(
      '2025-01-01T00:00:04.000000000Z four\n',
    );
  });

  it('follows appended lines until the container stops, then moves on to the restarted container', async () => {
    const first = join(dir, '0.log');
    const second = join(dir, '1.log');
    await writeFile(first, line(1, 'a'));
    let running = true;
    let next: string | undefined;
    const reading = collect(
      first,
      { timestamps: false, follow: true },
      {
        running: async () => running,
        nextLogPath: async () => next,
      },
    );
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(first, line(2, 'b'));
    await new Promise((r) => setTimeout(r, 300));
    await appendFile(first, line(3, 'c'));
    await writeFile(second, line(4, 'd'));
    next = second;
    running = false;
    await new Promise((r) => setTimeout(r, 300));
    expect(await reading).toBe('a\nb\nc\nd\n');
  });
});
