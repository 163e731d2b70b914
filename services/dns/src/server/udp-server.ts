/** DNS over UDP: one datagram in, at most one out, from the address it came to. */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { MessageHandler, ServerLogger } from './types.js';

export interface UdpDnsServer {
  readonly port: number;
  close(): Promise<void>;
}

export function listenUdp(
  host: string,
  port: number,
  handle: MessageHandler,
  logger: ServerLogger,
): Promise<UdpDnsServer> {
  const socket: Socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4' });
  socket.on('message', (message, peer) => {
    let response: Buffer | undefined;
    try {
      response = handle(message, 'udp');
    } catch (err) {
      logger.warn({ err, peer: peer.address }, 'answering a UDP query failed');
      return;
    }
    if (!response) return;
    socket.send(response, peer.port, peer.address, (err) => {
      if (err) logger.debug({ err, peer: peer.address }, 'sending a UDP response failed');
    });
  });
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      socket.close();
      reject(err);
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      // Later socket errors (ICMP noise on send) must not end the process.
      socket.on('error', (err) => logger.warn({ err }, 'UDP socket error'));
      let closed: Promise<void> | undefined;
      resolve({
        port: socket.address().port,
        close: () => (closed ??= new Promise((done) => socket.close(() => done()))),
      });
    });
  });
}
