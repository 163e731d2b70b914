/** Port checks on the loopback address every component binds. */
import { createServer } from 'node:net';

const LOOPBACK = '127.0.0.1';
const PICK_ATTEMPTS = 20;

export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel says is free now, not one of `avoid`. */
export async function pickFreePort(avoid: ReadonlySet<number> = new Set()): Promise<number> {
  for (let i = 0; i < PICK_ATTEMPTS; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port: 0, host: LOOPBACK, exclusive: true }, () => {
        const address = server.address();
        const chosen = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(chosen));
      });
    });
    if (port !== 0 && !avoid.has(port)) return port;
  }
  throw new Error('could not find a free port on 127.0.0.1');
}
