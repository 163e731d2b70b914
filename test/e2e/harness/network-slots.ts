/**
 * Each test cluster on this host gets a network slot of its own: a pods' range
 * 10.244.(200+4s).0/22 (four nodes' /24 blocks), a Services' range 10.97.(16s).0/20 with
 * 150 NodePorts from 30100+150s, and the bridge prefix tkt<s>n, so clusters
 * started side by side (test files, a benchmark) never share a block or a bridge. A slot
 * is held by a lock file with the holder's pid; a lock whose holder died is taken over,
 * and a slot whose bridge is still on the host (a cluster not purged) is passed over.
 */

import { mkdirSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './host.js';
import { run } from './run.js';

export interface NetworkSlot {
  clusterCidr: string;
  bridgePrefix: string;
  serviceCidr: string;
  nodePortRange: string;
  release(): Promise<void>;
}

const SLOTS = 14;
const LOCK_DIR = join(tmpdir(), 'tkube-e2e-network-slots');

export async function claimNetworkSlot(): Promise<NetworkSlot> {
  mkdirSync(LOCK_DIR, { recursive: true });
  const order = Array.from({ length: SLOTS }, (_, i) => i).sort(() => Math.random() - 0.5);
  for (const slot of order) {
    const bridgePrefix = `tkt${slot}n`;
    if ((await run('ip', ['link', 'show', 'dev', `${bridgePrefix}1`])).code === 0) continue;
    const lock = join(LOCK_DIR, `${slot}.lock`);
    if (!(await takeLock(lock))) continue;
    return {
      clusterCidr: `10.244.${200 + 4 * slot}.0/22`,
      bridgePrefix,
      serviceCidr: `10.97.${16 * slot}.0/20`,
      nodePortRange: `${30100 + 150 * slot}-${30249 + 150 * slot}`,
      release: () => rm(lock, { force: true }),
    };
  }
  throw new Error(
    `all ${SLOTS} test network slots are taken (locks in ${LOCK_DIR}, bridges tkt<n>n1): purge the clusters that hold them`,
  );
}

/** Creates the lock file, or takes it over from a holder that is gone. */
async function takeLock(path: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(String(process.pid));
      await file.close();
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (holder > 0 && isAlive(holder)) return false;
      await rm(path, { force: true });
    }
  }
  return false;
}
