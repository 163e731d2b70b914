import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDir } from '../cluster/data-dir.js';
import { removeDataDir } from './data-dir-removal.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tkube-purge-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function makeCluster(dir: string): Promise<void> {
  await mkdir(join(dir, 'nodes', 'tkube-node-1', 'kubelet', 'pods'), { recursive: true });
  await mkdir(join(dir, 'nats', 'jetstream'), { recursive: true });
  for (const sub of ['pki', 'logs', 'run']) await mkdir(join(dir, sub), { recursive: true });
  for (const file of ['cluster.json', 'token', 'tokens.csv', 'kubeconfig', 'cluster.json.0a1b2c3d.tmp']) {
    await writeFile(join(dir, file), 'x');
  }
}

describe('removeDataDir', () => {
  it('removes a data dir with everything tkube put in it', async () => {
    const dir = join(root, 'cluster');
    await makeCluster(dir);
    expect(await removeDataDir(dataDir(dir))).toBe('removed');
    expect(await readdir(root)).toEqual([]);
  });

  it('is done when the dir is gone', async () => {
    expect(await removeDataDir(dataDir(join(root, 'never-made')))).toBe('already gone');
  });

  it('keeps what tkube did not make, and the dir holding it', async () => {
    await makeCluster(root);
    await writeFile(join(root, 'notes.txt'), 'mine');
    expect(await removeDataDir(dataDir(root))).toMatch(/kept .* notes\.txt/);
    expect(await readdir(root)).toEqual(['notes.txt']);
  });
});
