import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { bridgeWebSockets, isSendableCloseCode } from './websocket-bridge.js';

/** client <-> proxy (the bridge) <-> backend, all on 127.0.0.1. */
interface Chain {
  client: WebSocket;
  /** The backend's end of the proxy's upstream connection. */
  backend: WebSocket;
  /** The proxy's end facing the client (where backpressure builds). */
  proxyToClient: WebSocket;
  bridged: Promise<void>;
}

const servers: WebSocketServer[] = [];

function listen(): Promise<WebSocketServer> {
  return new Promise((resolve) => {
    const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: 0 }, () => resolve(server));
    servers.push(server);
  });
}

const portOf = (server: WebSocketServer) => (server.address() as AddressInfo).port;

async function chain(marks: { highWaterMark?: number; lowWaterMark?: number } = {}): Promise<Chain> {
  const backendServer = await listen();
  const proxyServer = await listen();
  const backendSide = new Promise<WebSocket>((resolve) => backendServer.once('connection', resolve));
  const proxied = new Promise<{ proxyToClient: WebSocket; bridged: Promise<void> }>((resolve) => {
    proxyServer.once('connection', (proxyToClient) => {
      const upstream = new WebSocket(`ws://127.0.0.1:${portOf(backendServer)}`);
      upstream.once('open', () =>
        resolve({ proxyToClient, bridged: bridgeWebSockets(proxyToClient, upstream, marks) }),
      );
    });
  });
  const client = new WebSocket(`ws://127.0.0.1:${portOf(proxyServer)}`);
  const { proxyToClient, bridged } = await proxied;
  return { client, backend: await backendSide, proxyToClient, bridged };
}

function nextMessage(socket: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) => socket.once('message', (data: Buffer, isBinary) => resolve({ data, isBinary })));
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('bridgeWebSockets', () => {
  it('carries messages both ways unchanged, binary and text', async () => {
    const { client, backend } = await chain();
    const toBackend = nextMessage(backend);
    client.send(Buffer.from([0, 104, 105]));
    expect(await toBackend).toEqual({ data: Buffer.from([0, 104, 105]), isBinary: true });
    const toClient = nextMessage(client);
    backend.send('plain text');
    const received = await toClient;
    expect(received.isBinary).toBe(false);
    expect(received.data.toString()).toBe('plain text');
  });

  it('passes a close on with its code and reason, and ends once both sides closed', async () => {
    const { client, backend, bridged } = await chain();
    const clientClosed = new Promise<[number, string]>((resolve) =>
      client.once('close', (code, reason) => resolve([code, reason.toString()])),
    );
    backend.close(4000, 'command finished');
    expect(await clientClosed).toEqual([4000, 'command finished']);
    await bridged;
  });

  it('stops reading the fast side while the slow side cannot keep up, and loses nothing', async () => {
    const high = 64 * 1024;
    const { client, backend, proxyToClient } = await chain({ highWaterMark: high, lowWaterMark: 16 * 1024 });
    client.pause();
    const message = Buffer.alloc(64 * 1024, 7);
    const total = 256; // 16 MiB
    let mostBuffered = 0;
    const sampler = setInterval(() => {
      mostBuffered = Math.max(mostBuffered, proxyToClient.bufferedAmount);
    }, 5);
    let received = 0;
    const allReceived = new Promise<void>((resolve) =>
      client.on('message', (data: Buffer) => {
        received += data.length;
        if (received === total * message.length) resolve();
      }),
    );
    for (let i = 0; i < total; i++) backend.send(message);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Paused: the proxy holds at most about one high-water mark, the backend keeps the rest.
    expect(backend.bufferedAmount).toBeGreaterThan(0);
    client.resume();
    await allReceived;
    clearInterval(sampler);
    expect(mostBuffered).toBeLessThan(1024 * 1024);
    expect(received).toBe(total * message.length);
  });
});

describe('isSendableCloseCode', () => {
  it('allows the codes a close frame may carry', () => {
    expect([1000, 1001, 1011, 3000, 4999].every(isSendableCloseCode)).toBe(true);
    expect([999, 1004, 1005, 1006, 1015, 2000, 5000].some(isSendableCloseCode)).toBe(false);
  });
});
