/**
 * The DNS server: UDP and TCP on the same address and port. Port 0 picks one that is free
 * for both (tests): the UDP port the kernel chose is tried for TCP, a few times over.
 */

import { listenTcp, type TcpDnsServer } from './tcp-server.js';
import type { MessageHandler, ServerLogger } from './types.js';
import { listenUdp, type UdpDnsServer } from './udp-server.js';

export interface DnsServerOptions {
  host: string;
  port: number;
  handle: MessageHandler;
  logger: ServerLogger;
}

export interface RunningDnsServer {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

const FREE_PORT_ATTEMPTS = 5;

export async function startDnsServer(options: DnsServerOptions): Promise<RunningDnsServer> {
  const { host, handle, logger } = options;
  for (let attempt = 1; ; attempt++) {
    const udp: UdpDnsServer = await listenUdp(host, options.port, handle, logger);
    let tcp: TcpDnsServer;
    try {
      tcp = await listenTcp(host, udp.port, handle, logger);
    } catch (err) {
      await udp.close();
      if (options.port === 0 && isAddressInUse(err) && attempt < FREE_PORT_ATTEMPTS) continue;
      throw err;
    }
    return {
      host,
      port: udp.port,
      close: async () => {
        await Promise.all([udp.close(), tcp.close()]);
      },
    };
  }
}

function isAddressInUse(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'EADDRINUSE';
}
