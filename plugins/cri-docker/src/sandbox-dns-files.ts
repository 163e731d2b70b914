/**
 * Each sandbox's resolv.conf, written from its PodSandboxConfig.dns_config into
 * `<root-dir>/sandboxes/<sandbox id>/resolv.conf` and bind-mounted at /etc/resolv.conf into
 * every container of the sandbox (what dockershim put in the sandbox's ResolvConfPath, and
 * containerd mounts from its sandbox directory). A file of our own survives Docker
 * rewriting its copy, and a plugin restart: containers made later find it on disk.
 */

import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Docker's ids: never a path of their own. */
const SANDBOX_ID = /^[0-9a-f]{12,64}$/;

export class SandboxDnsFiles {
  constructor(private readonly rootDir: string) {}

  pathOf(sandboxId: string): string {
    if (!SANDBOX_ID.test(sandboxId)) throw new Error(`"${sandboxId}" is not a sandbox id`);
    return join(this.rootDir, 'sandboxes', sandboxId, 'resolv.conf');
  }

  /** Writes the file whole (a reader never sees half of it), readable by any user of the pod. */
  async write(sandboxId: string, content: string): Promise<void> {
    const path = this.pathOf(sandboxId);
    await mkdir(join(path, '..'), { recursive: true, mode: 0o755 });
    const partial = `${path}.tmp`;
    await writeFile(partial, content, { mode: 0o644 });
    await rename(partial, path);
  }

  /** The file's path when the sandbox has one; undefined keeps Docker's resolv.conf. */
  async existing(sandboxId: string): Promise<string | undefined> {
    const path = this.pathOf(sandboxId);
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(sandboxId: string): Promise<void> {
    await rm(join(this.pathOf(sandboxId), '..'), { recursive: true, force: true });
  }
}
