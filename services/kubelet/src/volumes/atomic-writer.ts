/**
 * Kubernetes' AtomicWriter: writes a set of files into a directory so that a reader sees
 * either the whole old set or the whole new one, never a mix. The files live in a hidden,
 * timestamped directory; `..data` is a symlink to it and each visible top-level name is a
 * symlink through `..data`. An update writes a new hidden directory, swaps `..data` with a
 * rename (atomic on POSIX), fixes the visible links, then removes the old directory.
 */
import {
  chmod,
  lstat,
  mkdir,
  readdir,
  readFile,
  readlink,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (0o644 by default in kube). */
  mode: number;
}

const DATA_DIR_NAME = '..data';
const NEW_DATA_DIR_NAME = '..data_tmp';

/** Writes `payload` (relative path -> file) into `targetDir`. Returns false when nothing changed. */
export async function writeAtomically(
  targetDir: string,
  payload: ReadonlyMap<string, FileProjection>,
): Promise<boolean> {
  for (const path of payload.keys()) checkPath(path);
  await mkdir(targetDir, { recursive: true });

  const current = await currentDataDir(targetDir);
  if (current && (await sameContent(join(targetDir, current), payload))) return false;

  const stamp = `..${new Date().toISOString().replace(/[:.]/g, '_')}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  const tsDir = join(targetDir, stamp);
  await mkdir(tsDir, { mode: 0o755 });
  for (const [path, file] of payload) {
    const full = join(tsDir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, file.data, { mode: file.mode });
    // The umask must not narrow the mode the pod asked for.
    await chmod(full, file.mode);
  }

  const tmpLink = join(targetDir, NEW_DATA_DIR_NAME);
  await rm(tmpLink, { force: true });
  await symlink(stamp, tmpLink);
  await rename(tmpLink, join(targetDir, DATA_DIR_NAME));

  const visible = new Set([...payload.keys()].map((path) => path.split('/')[0] ?? path));
  for (const name of visible) {
    const link = join(targetDir, name);
    const existing = await lstat(link).catch(() => undefined);
    if (existing?.isSymbolicLink()) continue;
    if (existing) await rm(link, { recursive: true, force: true });
    await symlink(join(DATA_DIR_NAME, name), link);
  }
  for (const entry of await readdir(targetDir)) {
    if (entry.startsWith('..')) {
      if (entry !== DATA_DIR_NAME && entry !== stamp)
        await rm(join(targetDir, entry), { recursive: true, force: true });
      continue;
    }
    if (!visible.has(entry)) await rm(join(targetDir, entry), { recursive: true, force: true });
  }
  return true;
}

function checkPath(path: string): void {
  const clean = normalize(path);
  if (path === '' || path.startsWith('/') || clean.startsWith('..') || clean.split(sep).includes('..')) {
    throw new Error(`invalid file path in the volume: "${path}"`);
  }
}

async function currentDataDir(targetDir: string): Promise<string | undefined> {
  try {
    return await readlink(join(targetDir, DATA_DIR_NAME));
  } catch {
    return undefined;
  }
}

async function sameContent(dir: string, payload: ReadonlyMap<string, FileProjection>): Promise<boolean> {
  const existing = await listFiles(dir);
  if (existing.length !== payload.size) return false;
  for (const [path, file] of payload) {
    const full = join(dir, path);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isFile() || (info.mode & 0o777) !== (file.mode & 0o777)) return false;
    const data = await readFile(full);
    if (!data.equals(file.data)) return false;
  }
  return true;
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}
