/**
 * Joins two WebSockets so that each message of one is sent on the other unchanged (binary
 * stays binary: the channel byte of *.channel.k8s.io travels inside), closes travel with
 * their code and reason, and a side that reads faster than the other can write is paused
 * until the other's buffer drains.
 */
import { type RawData, WebSocket } from 'ws';

export interface BridgeOptions {
  /** Bytes waiting to be written above which the sending side stops being read (1 MiB). */
  highWaterMark?: number;
  /** Bytes waiting below which it is read again (256 KiB). */
  lowWaterMark?: number;
  /** Told about socket errors (they end the bridge; the caller may log them). */
  onError?: (side: 'client' | 'upstream', err: Error) => void;
}

const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
const DEFAULT_LOW_WATER_MARK = 256 * 1024;
/** A close received with this code means the peer vanished without a closing handshake. */
const ABNORMAL_CLOSURE = 1006;

/** Resolves once both sockets are closed. */
export function bridgeWebSockets(client: WebSocket, upstream: WebSocket, options: BridgeOptions = {}): Promise<void> {
  const high = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const low = options.lowWaterMark ?? DEFAULT_LOW_WATER_MARK;
  forward(client, upstream, high, low);
  forward(upstream, client, high, low);
  client.on('error', (err) => options.onError?.('client', err));
  upstream.on('error', (err) => options.onError?.('upstream', err));
  return Promise.all([closed(client), closed(upstream)]).then(() => undefined);
}

function forward(from: WebSocket, to: WebSocket, high: number, low: number): void {
  let paused = false;
  from.on('message', (data: RawData, isBinary: boolean) => {
    if (to.readyState !== WebSocket.OPEN) return;
    to.send(data, { binary: isBinary }, () => {
      if (paused && to.bufferedAmount <= low) {
        paused = false;
        from.resume();
      }
    });
    if (!paused && to.bufferedAmount > high) {
      paused = true;
      from.pause();
    }
  });
  from.on('close', (code: number, reason: Buffer) => closeLike(to, code, reason));
}

/** Ends `socket` the way its peer ended: the same code and reason, or abruptly after an abrupt end. */
function closeLike(socket: WebSocket, code: number, reason: Buffer): void {
  if (socket.readyState === WebSocket.CLOSING || socket.readyState === WebSocket.CLOSED) return;
  // A paused socket would never read the peer's answer to our close frame.
  socket.resume();
  if (socket.readyState === WebSocket.CONNECTING || code === ABNORMAL_CLOSURE) {
    socket.terminate();
  } else if (isSendableCloseCode(code)) {
    socket.close(code, reason);
  } else {
    socket.close();
  }
}

/** RFC 6455 codes that may appear in a close frame (1005 and 1006 only describe what was received). */
export function isSendableCloseCode(code: number): boolean {
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  );
}

function closed(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}
