/**
 * Exec and attach: the kubelet asks the runtime for a streaming URL, opens a WebSocket to
 * it with the subprotocols the client offered, and once the runtime chose one, accepts
 * the client's upgrade with the same one and relays frames both ways unchanged (both ends
 * speak the channel protocol, v5.channel.k8s.io or v4). Closing either side closes both.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';

export const STREAM_PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
];

const CONNECT_TIMEOUT_MS = 10_000;

export function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol'];
  const offered = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return offered.filter((p) => STREAM_PROTOCOLS.includes(p));
}

export async function proxyStream(
  request: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  runtimeUrl: string,
): Promise<void> {
  const protocols = offeredProtocols(request);
  if (protocols.length === 0) {
    rejectUpgrade(socket, 400, 'no supported subprotocol offered (want v5.channel.k8s.io or v4.channel.k8s.io)');
    return;
  }
  const backend = new WebSocket(runtimeUrl.replace(/^http/, 'ws'), protocols, { handshakeTimeout: CONNECT_TIMEOUT_MS });
  try {
    await new Promise<void>((resolve, reject) => {
      backend.once('open', () => resolve());
      backend.once('error', reject);
      backend.once('unexpected-response', (_req, res) => reject(new Error(`the runtime answered ${res.statusCode}`)));
    });
  } catch (err) {
    backend.terminate();
    rejectUpgrade(
      socket,
      502,
      `cannot reach the runtime's streaming server: ${err instanceof Error ? err.message : String(err)}`,
    );
    return;
  }
  const chosen = backend.protocol;
  const server = new WebSocketServer({ noServer: true, handleProtocols: () => chosen || false });
  server.handleUpgrade(request, socket, head, (client) => {
    relay(client, backend);
    relay(backend, client);
    server.close();
  });
}

function relay(from: WebSocket, to: WebSocket): void {
  from.on('message', (data, isBinary) => {
    if (to.readyState === WebSocket.OPEN) to.send(data, { binary: isBinary });
  });
  from.on('close', (code, reason) => {
    if (to.readyState === WebSocket.OPEN || to.readyState === WebSocket.CONNECTING) {
      const closable = code >= 1000 && code !== 1005 && code !== 1006 && code <= 4999;
      if (closable) to.close(code, reason);
      else to.close();
    }
  });
  from.on('error', () => to.terminate());
}

export function rejectUpgrade(socket: Duplex, code: number, message: string): void {
  const status =
    code === 401
      ? 'Unauthorized'
      : code === 404
        ? 'Not Found'
        : code === 400
          ? 'Bad Request'
          : code === 403
            ? 'Forbidden'
            : 'Bad Gateway';
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${code} ${status}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
