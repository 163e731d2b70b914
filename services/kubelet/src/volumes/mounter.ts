/** tmpfs mounts for emptyDir volumes with medium Memory; the real one runs mount(8). */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Mounter {
  mountTmpfs(dir: string, sizeBytes?: number): Promise<void>;
  unmount(dir: string): Promise<void>;
  isMountPoint(dir: string): Promise<boolean>;
}

export const systemMounter: Mounter = {
  async mountTmpfs(dir, sizeBytes) {
    const options = sizeBytes !== undefined ? ['-o', `size=${sizeBytes}`] : [];
    await run('mount', ['-t', 'tmpfs', ...options, 'tmpfs', dir], { timeout: 10_000 });
  },
  async unmount(dir) {
    await run('umount', [dir], { timeout: 10_000 });
  },
  async isMountPoint(dir) {
    const mounts = await readFile('/proc/self/mounts', 'utf8').catch(() => '');
    return mounts.split('\n').some((line) => line.split(' ')[1] === dir);
  },
};
