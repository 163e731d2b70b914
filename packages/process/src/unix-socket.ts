/**
 * Unix socket files of servers: where an address's socket lives, and making room for a new
 * server there. A process that dies leaves its socket file behind, and binding over it fails
 * with EADDRINUSE; removing it is safe, but removing anything else at that path is not.
 */
import { lstat, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The socket path of a unix address: "unix:///run/a.sock" and "unix:/run/a.sock" name
 * /run/a.sock, "unix:a.sock" a path relative to the working directory. Undefined for a TCP
 * address.
 */
export function unixSocketPathOf(address: string): string | undefined {
  if (address.startsWith('unix://')) return address.slice('unix://'.length);
  if (address.startsWith('unix:')) return address.slice('unix:'.length);
  return undefined;
}

/**
 * Makes the socket's folder and removes a socket file left at `path` by an earlier server.
 * Anything else at that path (a file, a folder, a symlink) is refused, not removed.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o755 });
  const existing = await lstat(path).catch((err: unknown) => {
    if (errorCodeOf(err) === 'ENOENT') return undefined;
    throw err;
  });
  if (!existing) return;
  if (!existing.isSocket()) throw new Error(`${path} exists and is not a socket`);
  await rm(path);
}

/** Removes a server's socket file; one already gone is fine. */
export async function removeSocketFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

function errorCodeOf(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}
