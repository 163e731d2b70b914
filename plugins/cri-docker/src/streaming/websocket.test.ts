import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { acceptKeyOf, encodeFrame, WebSocketConnection } from './websocket.js';

/** A client frame: masked, as browsers and kubectl send them. */
function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]));
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
      : Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff]);
  return Buffer.concat([header, mask, masked]);
}

describe('WebSocket connection', () => {
  it('computes the handshake accept key of RFC 6455', () => {
    expect(acceptKeyOf('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('unmasks messages, joins fragments, and keeps those sent before anyone listened', () => {
    const socket = new PassThrough();
    const connection = new WebSocketConnection(socket);
    const long = Buffer.alloc(300, 7);
    socket.write(clientFrame(2, Buffer.from([0, 104, 105])));
    socket.write(Buffer.concat([clientFrame(2, Buffer.from([1, 97]), false), clientFrame(0, Buffer.from([98]))]));
    const frame = clientFrame(2, long);
    socket.write(frame.subarray(0, 5));
    socket.write(frame.subarray(5));
    const received: Buffer[] = [];
    connection.onMessage((message) => received.push(message.data));
    expect(received.map((data) => [...data.subarray(0, 3)])).toEqual([
      [0, 104, 105],
      [1, 97, 98],
      [7, 7, 7],
    ]);
    expect(received[2]).toHaveLength(300);
  });

  it('answers a ping with a pong and a close with a close', () => {
    const socket = new PassThrough();
    const connection = new WebSocketConnection(socket);
    let closed = false;
    connection.onClose(() => (closed = true));
    const written: Buffer[] = [];
    socket.on('data', () => undefined);
    const originalWrite = socket.write.bind(socket);
    socket.write = ((chunk: Buffer) => {
      written.push(chunk);
      return originalWrite(chunk);
    }) as typeof socket.write;
    connection.receive(clientFrame(9, Buffer.from('hi')));
    expect(written[0]).toEqual(encodeFrame(0xa, Buffer.from('hi')));
    connection.receive(clientFrame(8, Buffer.from([0x03, 0xe8])));
    expect(closed).toBe(true);
    expect(connection.isOpen).toBe(false);
  });
});
