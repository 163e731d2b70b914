/**
 * What the kubelet remembers of the network it set up for each sandbox: the IPs and the
 * namespace path the network plugin was given. Kept as `pods/<uid>/network.json` so that a
 * restarted kubelet still knows a running pod's IP (the runtime does not) and can release
 * the attachment when the pod goes.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result } from '@tkube/api/cni';
import type { PodDirs } from '../pods/pod-dirs.js';

export interface RecordedNetwork {
  sandboxId: string;
  netnsPath: string;
  ips: string[];
  result?: Result;
}

const FILE_NAME = 'network.json';

export class NetworkStore {
  private readonly byPod = new Map<string, RecordedNetwork>();

  constructor(private readonly dirs: PodDirs) {}

  /** Reads every pod's record: call once at start, before the first sync. */
  async load(): Promise<void> {
    const entries = await readdir(this.dirs.podsDir()).catch(() => [] as string[]);
    for (const uid of entries) {
      const text = await readFile(join(this.dirs.podDir(uid), FILE_NAME), 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      try {
        this.byPod.set(uid, JSON.parse(text) as RecordedNetwork);
      } catch {
        // A torn file is as good as none: the pod's sandbox gets recreated.
      }
    }
  }

  get(uid: string, sandboxId?: string): RecordedNetwork | undefined {
    const recorded = this.byPod.get(uid);
    if (!recorded || (sandboxId !== undefined && recorded.sandboxId !== sandboxId)) return undefined;
    return recorded;
  }

  async set(uid: string, network: RecordedNetwork): Promise<void> {
    this.byPod.set(uid, network);
    const dir = this.dirs.podDir(uid);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${FILE_NAME}.tmp`);
    await writeFile(tmp, JSON.stringify(network));
    await rename(tmp, join(dir, FILE_NAME));
  }

  async delete(uid: string): Promise<void> {
    this.byPod.delete(uid);
    await rm(join(this.dirs.podDir(uid), FILE_NAME), { force: true });
  }
}
