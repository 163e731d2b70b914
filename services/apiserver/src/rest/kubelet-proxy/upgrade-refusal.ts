/**
 * Answering an upgrade request without upgrading: a Status written as a plain HTTP
 * response on the raw socket (the HTTP server no longer owns it), then the connection ends.
 * kubectl decodes it and prints the message, as for any other request.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { StatusError } from '@tkube/api';

/** How long the peer may take to read the answer and close before the connection is cut. */
const LINGER_MS = 2000;

export function refuseUpgrade(socket: Duplex, error: StatusError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toStatus());
  const head = [
    `HTTP/1.1 ${error.code} ${STATUS_CODES[error.code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-cache, private',
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
