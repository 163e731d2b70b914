/** BENCH_KEEP_LOGS=DIR: the cluster's logs are copied there before the teardown removes them. */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function keepLogs(dataDir: string, target: string | undefined): string | undefined {
  const logs = join(dataDir, 'logs');
  if (!target || !existsSync(logs)) return undefined;
  cpSync(logs, target, { recursive: true });
  return target;
}
