/**
 * A lock file that keeps two apiservers sharing one cert dir (started together, as in
 * the two-apiserver set-up) from each making its own CA and overwriting the other's.
 */
import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const RETRY_DELAY_MS = 100;
const WAIT_LIMIT_MS = 60_000;
/** A lock older than this was left by a process that died while holding it. */
const STALE_AFTER_MS = 60_000;

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
      if (await isStale(lockPath)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > WAIT_LIMIT_MS) {
        throw new Error(`timed out waiting for the lock ${lockPath}; remove it if no apiserver is starting`);
      }
      await sleep(RETRY_DELAY_MS);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    const info = await stat(lockPath);
    return Date.now() - info.mtimeMs > STALE_AFTER_MS;
  } catch {
    return false;
  }
}

export function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === code;
}
