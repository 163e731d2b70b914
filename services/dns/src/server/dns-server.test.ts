import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningDnsServer, startDnsServer } from './dns-server.js';
import type { MessageHandler } from './types.js';

const silent = { warn: () => {}, debug: () => {} };
let server: RunningDnsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers "<transport>:<message>" so the tests see which path a message took; drops "drop". */
const echo: MessageHandler = (message, transport) =>
  message.toString() === 'drop' ? undefined : Buffer.from(`${transport}:${message.toString()}`);

function udpExchange(port: number, payload: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no UDP answer'));
    }, timeoutMs);
    socket.on('message', (message) => {
      clearTimeout(timer);
      socket.close();
      resolve(message.toString());
    });
    socket.send(Buffer.from(payload), port, '127.0.0.1');
  });
}

function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(body.length);
  return Buffer.concat([prefix, body]);
}

/** Sends `chunks` one by one, reads `count` framed answers. */
function tcpExchange(port: number, chunks: Buffer[], count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const answers: string[] = [];
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`got ${answers.length} of ${count} TCP answers`));
    }, 2000);
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        await new Promise((r) => setTimeout(r, 10));
      }
    });
    socket.on('data', (data) => {
      buffered = Buffer.concat([buffered, data]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        answers.push(buffered.subarray(2, 2 + length).toString());
        buffered = buffered.subarray(2 + length);
      }
      if (answers.length === count) {
        clearTimeout(timer);
        socket.end();
        resolve(answers);
      }
    });
    socket.on('error', reject);
  });
}

describe('startDnsServer', () => {
  it('serves UDP and TCP on one free port', async () => {
    server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: echo, logger: silent });
    expect(server.port).toBeGreaterThan(0);
    expect(await udpExchange(server.port, 'hello')).toBe('udp:hello');
    expect(await tcpExchange(server.port, [frame('hello')], 1)).toEqual(['tcp:hello']);
  });

  it('answers pipelined TCP messages in order, whatever the segments they arrive in', async () => {
    server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: echo, logger: silent });
    const stream = Buffer.concat([frame('one'), frame('drop'), frame('two'), frame('three')]);
    const chunks = [stream.subarray(0, 1), stream.subarray(1, 7), stream.subarray(7, 15), stream.subarray(15)];
    expect(await tcpExchange(server.port, chunks, 3)).toEqual(['tcp:one', 'tcp:two', 'tcp:three']);
  });

  it('keeps serving after a handler throws', async () => {
    let calls = 0;
    const flaky: MessageHandler = (message, transport) => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return echo(message, transport);
    };
    server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: flaky, logger: silent });
    await expect(udpExchange(server.port, 'first', 300)).rejects.toThrow(/no UDP answer/);
    expect(await udpExchange(server.port, 'second')).toBe('udp:second');
  });

  it('fails to start on a port that is taken', async () => {
    server = await startDnsServer({ host: '127.0.0.1', port: 0, handle: echo, logger: silent });
    await expect(
      startDnsServer({ host: '127.0.0.1', port: server.port, handle: echo, logger: silent }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
