/**
 * hostPath volumes with kube's type checks: "" checks nothing; DirectoryOrCreate and
 * FileOrCreate make what is missing; Directory, File, Socket, CharDevice and BlockDevice
 * must already be one. The messages are kube's.
 */

import type { Stats } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';

export class HostPathTypeError extends Error {
  override name = 'HostPathTypeError';
}

export async function checkHostPath(path: string, type: string | undefined): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  switch (type ?? '') {
    case '':
      return;
    case 'DirectoryOrCreate':
      if (!info) {
        await mkdir(path, { recursive: true, mode: 0o755 });
        return;
      }
      return expect(info, (s) => s.isDirectory(), `${path} is not a directory`);
    case 'Directory':
      return expect(info, (s) => s.isDirectory(), `${path} is not a directory`, path);
    case 'FileOrCreate':
      if (!info) {
        const handle = await open(path, 'a', 0o644);
        await handle.close();
        return;
      }
      return expect(info, (s) => s.isFile(), `${path} is not a file`);
    case 'File':
      return expect(info, (s) => s.isFile(), `${path} is not a file`, path);
    case 'Socket':
      return expect(info, (s) => s.isSocket(), `${path} is not a socket file`, path);
    case 'CharDevice':
      return expect(info, (s) => s.isCharacterDevice(), `${path} is not a character device`, path);
    case 'BlockDevice':
      return expect(info, (s) => s.isBlockDevice(), `${path} is not a block device`, path);
    default:
      throw new HostPathTypeError(`invalid HostPathType: ${type}`);
  }
}

function expect(info: Stats | undefined, ok: (s: Stats) => boolean, message: string, mustExist?: string): void {
  if (!info) {
    throw new HostPathTypeError(`hostPath type check failed: ${mustExist ?? ''} does not exist`);
  }
  if (!ok(info)) throw new HostPathTypeError(`hostPath type check failed: ${message}`);
}
