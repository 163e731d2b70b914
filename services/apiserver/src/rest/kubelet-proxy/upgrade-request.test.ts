import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkWebSocketHandshake, isWebSocketUpgrade, offeredProtocols } from './upgrade-request.js';

function request(method: string, headers: Record<string, string>): IncomingMessage {
  return { method, headers } as unknown as IncomingMessage;
}

const HANDSHAKE = {
  upgrade: 'websocket',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'sec-websocket-version': '13',
};

describe('upgrade requests', () => {
  it("tells kubectl's WebSocket attempt from its SPDY fallback", () => {
    expect(isWebSocketUpgrade(request('GET', { upgrade: 'websocket' }))).toBe(true);
    expect(isWebSocketUpgrade(request('GET', { upgrade: 'WebSocket' }))).toBe(true);
    expect(isWebSocketUpgrade(request('POST', { upgrade: 'SPDY/3.1' }))).toBe(false);
  });

  it('lists the offered subprotocols in order, once each', () => {
    const req = request('GET', {
      'sec-websocket-protocol': 'v5.channel.k8s.io, v4.channel.k8s.io,v4.channel.k8s.io, channel.k8s.io',
    });
    expect(offeredProtocols(req)).toEqual(['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']);
    expect(offeredProtocols(request('GET', {}))).toEqual([]);
  });

  it('refuses broken handshakes before a kubelet is dialled', () => {
    expect(() => checkWebSocketHandshake(request('GET', HANDSHAKE))).not.toThrow();
    expect(() => checkWebSocketHandshake(request('POST', HANDSHAKE))).toThrow(/must be a GET/);
    expect(() => checkWebSocketHandshake(request('GET', { ...HANDSHAKE, 'sec-websocket-key': 'short' }))).toThrow(
      /Sec-WebSocket-Key/,
    );
    expect(() => checkWebSocketHandshake(request('GET', { ...HANDSHAKE, 'sec-websocket-version': '12' }))).toThrow(
      /Sec-WebSocket-Version/,
    );
  });
});
