/**
 * A small RFC 6455 WebSocket server side: the upgrade handshake with subprotocol choice,
 * and a connection that reads masked client frames (fragments, ping, close) and writes
 * unmasked server frames. Enough for the Kubernetes channel protocols; no extensions.
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Messages larger than this close the connection (1009): stdin chunks and resizes are small. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface WebSocketMessage {
  data: Buffer;
  binary: boolean;
}

/** The subprotocols the client offers, in its order of preference. */
export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

export function acceptKeyOf(key: string): string {
  return createHash('sha1').update(`${key}${GUID}`).digest('base64');
}

/**
 * Completes the upgrade with the first offered protocol we support; answers 400 and returns
 * undefined when the request is not a WebSocket upgrade or no protocol matches.
 */
export function acceptWebSocket(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  supported: readonly string[],
): { connection: WebSocketConnection; protocol: string } | undefined {
  const key = request.headers['sec-websocket-key'];
  const upgrade = request.headers.upgrade?.toLowerCase();
  if (upgrade !== 'websocket' || typeof key !== 'string' || request.headers['sec-websocket-version'] !== '13') {
    reject(socket, 400, 'a WebSocket upgrade (version 13) is required');
    return undefined;
  }
  const protocol = offeredProtocols(request).find((offered) => supported.includes(offered));
  if (!protocol) {
    reject(socket, 400, `no supported subprotocol; supported: ${supported.join(', ')}`);
    return undefined;
  }
  socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${acceptKeyOf(key)}`,
      `Sec-WebSocket-Protocol: ${protocol}`,
      '',
      '',
    ].join('\r\n'),
  );
  const connection = new WebSocketConnection(socket);
  if (head.length) connection.receive(head);
  return { connection, protocol };
}

export function reject(socket: Duplex, status: number, message: string): void {
  const reason = status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`,
  );
}

export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}

export class WebSocketConnection {
  private pending: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBinary = true;
  private closed = false;
  private readonly messageHandlers: ((message: WebSocketMessage) => void)[] = [];
  /** Messages that arrived before anyone listened (the session is still starting the command). */
  private readonly early: WebSocketMessage[] = [];
  private readonly closeHandlers: (() => void)[] = [];

  constructor(private readonly socket: Duplex) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
  }

  onMessage(handler: (message: WebSocketMessage) => void): void {
    this.messageHandlers.push(handler);
    for (const message of this.early.splice(0)) handler(message);
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(data: Buffer, binary = true): void {
    if (this.closed) return;
    this.socket.write(encodeFrame(binary ? OPCODE.binary : OPCODE.text, data));
  }

  /** Sends a close frame and ends the socket. */
  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    this.socket.end(encodeFrame(OPCODE.close, payload));
    this.finish();
  }

  /** Parses bytes from the client (exposed for the bytes that came with the upgrade). */
  receive(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (!this.closed) {
      const frame = this.nextFrame();
      if (!frame) return;
      this.handle(frame.fin, frame.opcode, frame.payload);
    }
  }

  private nextFrame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const bytes = this.pending;
    if (bytes.length < 2) return undefined;
    const fin = (bytes[0] & 0x80) !== 0;
    const opcode = bytes[0] & 0x0f;
    const masked = (bytes[1] & 0x80) !== 0;
    let length = bytes[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (bytes.length < 4) return undefined;
      length = bytes.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (bytes.length < 10) return undefined;
      const big = bytes.readBigUInt64BE(2);
      if (big > BigInt(MAX_MESSAGE_BYTES)) {
        this.close(1009, 'message too big');
        return undefined;
      }
      length = Number(big);
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    if (bytes.length < offset + length) return undefined;
    const payload = Buffer.from(bytes.subarray(offset, offset + length));
    if (masked) {
      for (let index = 0; index < payload.length; index++) payload[index] ^= bytes[maskOffset + (index % 4)];
    }
    this.pending = bytes.subarray(offset + length);
    return { fin, opcode, payload };
  }

  private handle(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case OPCODE.ping:
        this.socket.write(encodeFrame(OPCODE.pong, payload));
        return;
      case OPCODE.pong:
        return;
      case OPCODE.close:
        // Echo the close, then hang up.
        this.close(payload.length >= 2 ? payload.readUInt16BE(0) : 1000);
        return;
      case OPCODE.text:
      case OPCODE.binary:
        this.fragments = [payload];
        this.fragmentBinary = opcode === OPCODE.binary;
        break;
      case OPCODE.continuation:
        this.fragments.push(payload);
        break;
      default:
        this.close(1002, 'unknown opcode');
        return;
    }
    if (!fin) return;
    const data = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
    this.fragments = [];
    const message = { data, binary: this.fragmentBinary };
    if (!this.messageHandlers.length) this.early.push(message);
    for (const handler of this.messageHandlers) handler(message);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handler of this.closeHandlers.splice(0)) handler();
  }
}
