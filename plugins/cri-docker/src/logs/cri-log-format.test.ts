import { describe, expect, it } from 'vitest';
import { entriesOfMessage, formatCriLine, lastTimestampOf, TtyLogSplitter } from './cri-log-format.js';
import { encodeFrame, FrameDemuxer } from './docker-frames.js';

const TS = '2016-10-06T00:17:09.669794202Z';

function lines(entries: ReturnType<typeof entriesOfMessage>): string {
  return entries.map((entry) => formatCriLine(entry).toString()).join('');
}

describe('CRI log format', () => {
  it('writes a full line with the F tag and without its newline', () => {
    expect(lines(entriesOfMessage('stdout', Buffer.from(`${TS} hello world\n`)))).toBe(`${TS} stdout F hello world\n`);
    expect(lines(entriesOfMessage('stderr', Buffer.from(`${TS} oops\n`)))).toBe(`${TS} stderr F oops\n`);
  });

  it('writes a piece of a long line (no newline yet) with the P tag', () => {
    const parts = [`${TS} aaaa`, '2016-10-06T00:17:09.669794203Z bbbb', '2016-10-06T00:17:09.669794204Z cc\n'];
    const out = parts.map((part) => lines(entriesOfMessage('stdout', Buffer.from(part)))).join('');
    expect(out).toBe(
      `${TS} stdout P aaaa\n2016-10-06T00:17:09.669794203Z stdout P bbbb\n2016-10-06T00:17:09.669794204Z stdout F cc\n`,
    );
  });

  it('keeps empty lines and splits a message holding several lines', () => {
    expect(lines(entriesOfMessage('stdout', Buffer.from(`${TS} \n`)))).toBe(`${TS} stdout F \n`);
    expect(lines(entriesOfMessage('stdout', Buffer.from(`${TS} a\nb\n`)))).toBe(`${TS} stdout F a\n${TS} stdout F b\n`);
  });

  it('splits a tty stream by newline and flushes the rest as a line', () => {
    const splitter = new TtyLogSplitter();
    expect(splitter.push(Buffer.from(`${TS} one\n${TS} tw`))).toHaveLength(1);
    const second = splitter.push(Buffer.from('o\n'));
    expect(lines(second)).toBe(`${TS} stdout F two\n`);
    splitter.push(Buffer.from(`${TS} tail`));
    expect(lines(splitter.flush())).toBe(`${TS} stdout F tail\n`);
  });

  it('finds the timestamp of the last line of a file', () => {
    expect(lastTimestampOf(Buffer.from(`${TS} stdout F a\n2016-10-06T00:17:10Z stderr F b\n`))).toBe(
      '2016-10-06T00:17:10Z',
    );
    expect(lastTimestampOf(Buffer.from(''))).toBeUndefined();
  });
});

describe('Docker frames', () => {
  it('demuxes frames cut anywhere by the socket', () => {
    const bytes = Buffer.concat([encodeFrame('stdout', 'hello'), encodeFrame('stderr', 'err!')]);
    const demuxer = new FrameDemuxer();
    const frames = [
      ...demuxer.push(bytes.subarray(0, 3)),
      ...demuxer.push(bytes.subarray(3, 15)),
      ...demuxer.push(bytes.subarray(15)),
    ];
    expect(frames.map((frame) => [frame.stream, frame.payload.toString()])).toEqual([
      ['stdout', 'hello'],
      ['stderr', 'err!'],
    ]);
    expect(demuxer.buffered).toBe(0);
  });
});
