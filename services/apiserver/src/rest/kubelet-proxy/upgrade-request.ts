/**
 * What an upgrade request asks for: a WebSocket (RFC 6455) or something else (kubectl's
 * SPDY/3.1 fallback), and the subprotocols offered, in the client's order.
 */
import type { IncomingMessage } from 'node:http';
import { StatusError } from '@tkube/api';

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '')
    .toLowerCase()
    .split(/\s*,\s*/)
    .includes('websocket');
}

/** Refuses handshakes ws would refuse, before anything is opened on a kubelet for them. */
export function checkWebSocketHandshake(req: IncomingMessage): void {
  if (req.method !== 'GET') {
    throw StatusError.methodNotAllowed('a WebSocket upgrade must be a GET request');
  }
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string' || !/^[+/0-9A-Za-z]{22}==$/.test(key)) {
    throw StatusError.badRequest('missing or invalid Sec-WebSocket-Key header');
  }
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') {
    throw StatusError.badRequest('missing or unsupported Sec-WebSocket-Version header');
  }
}

/** The Sec-WebSocket-Protocol offers, in order, each once. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (header === undefined) return [];
  const offers = header
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return [...new Set(offers)];
}
