/**
 * For other services' integration tests: a real apiserver in the test's process, on memory
 * storage, loopback and ephemeral ports, with one token of the system:masters group written
 * to DIR/tokens.csv (its path is `tokenFile`, for processes that read it).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { DEFAULT_CONFIG } from '../config/config.js';
import { type RunningApiServer, startApiServer } from '../server.js';

export async function startMemoryApiServer(
  dir: string,
  token: string,
  user = 'admin',
): Promise<{ apiserver: RunningApiServer; tokenFile: string }> {
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, `${token},${user},${user},"system:masters"\n`);
  const apiserver = await startApiServer(
    {
      ...DEFAULT_CONFIG,
      storage: 'memory',
      natsServers: [],
      bindAddress: '127.0.0.1',
      securePort: 0,
      grpcAddress: '127.0.0.1:0',
      certDir: join(dir, 'pki'),
      tokenFile,
      logLevel: 'silent',
    },
    { logger: pino({ level: 'silent' }) },
  );
  return { apiserver, tokenFile };
}
