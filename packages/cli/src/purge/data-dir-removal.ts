/**
 * Removes a cluster's data dir: only the entries tkube makes there (data-dir.ts), then the
 * dir itself when nothing else is left. A mistyped --data-dir (a home directory, "/")
 * therefore loses nothing of its own.
 */
import { readdir, rm, rmdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DataDir } from '../cluster/data-dir.js';
import { isErrno } from '../cluster/files.js';

/** What tkube writes at the top of a data dir. */
export const DATA_DIR_ENTRIES = [
  'cluster.json',
  'token',
  'tokens.csv',
  'kubeconfig',
  'nats',
  'pki',
  'logs',
  'run',
  'nodes',
] as const;

/** Atomic writes leave `<name>.<hex>.tmp` when interrupted. */
const LEFTOVER_TEMP = new RegExp(
  `^(${DATA_DIR_ENTRIES.map((e) => e.replace('.', '\\.')).join('|')})\\.[0-9a-f]+\\.tmp$`,
);

export async function removeDataDir(dir: DataDir): Promise<string> {
  let entries: string[];
  try {
    entries = await readdir(dir.root);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'already gone';
    throw error;
  }
  const known = new Set<string>(DATA_DIR_ENTRIES);
  const ours = entries.filter((name) => known.has(name) || LEFTOVER_TEMP.test(name));
  for (const name of ours) await rm(join(dir.root, name), { recursive: true, force: true });
  const others = entries.filter((name) => !ours.includes(name));
  if (others.length > 0) {
    return `removed tkube's files; kept ${basename(dir.root)}/ for what tkube did not make: ${others.join(', ')}`;
  }
  await rmdir(dir.root);
  return 'removed';
}
