import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leftoverSocket } from './testing/leftover-socket.js';
import { prepareSocketPath, removeSocketFile, unixSocketPathOf } from './unix-socket.js';

describe('unixSocketPathOf', () => {
  it('reads the path of every unix spelling and nothing from TCP', () => {
    expect(unixSocketPathOf('unix:///run/tkube/a.sock')).toBe('/run/tkube/a.sock');
    expect(unixSocketPathOf('unix:/run/tkube/a.sock')).toBe('/run/tkube/a.sock');
    expect(unixSocketPathOf('unix:a.sock')).toBe('a.sock');
    expect(unixSocketPathOf('127.0.0.1:6444')).toBeUndefined();
  });
});

describe('prepareSocketPath', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tkube-process-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes the missing folders of the socket', async () => {
    await prepareSocketPath(join(dir, 'run', 'tkube', 'a.sock'));
    expect((await stat(join(dir, 'run', 'tkube'))).isDirectory()).toBe(true);
  });

  it('removes a socket left behind by a server that is gone', async () => {
    const path = join(dir, 'left.sock');
    await leftoverSocket(path);
    expect((await stat(path)).isSocket()).toBe(true);
    await prepareSocketPath(path);
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('refuses to remove a file, a folder or a symlink at the path', async () => {
    const file = join(dir, 'file');
    await writeFile(file, 'keep me');
    await expect(prepareSocketPath(file)).rejects.toThrow(`${file} exists and is not a socket`);
    expect((await stat(file)).isFile()).toBe(true);

    const folder = join(dir, 'folder');
    await mkdir(folder);
    await expect(prepareSocketPath(folder)).rejects.toThrow(/is not a socket/);

    const socket = join(dir, 'real.sock');
    await leftoverSocket(socket);
    const link = join(dir, 'link.sock');
    await symlink(socket, link);
    await expect(prepareSocketPath(link)).rejects.toThrow(/is not a socket/);
    expect((await stat(socket)).isSocket()).toBe(true);
  });
});

describe('removeSocketFile', () => {
  it('removes the file and takes a missing one calmly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tkube-process-'));
    try {
      const path = join(dir, 'a.sock');
      await leftoverSocket(path);
      await removeSocketFile(path);
      await expect(stat(path)).rejects.toThrow(/ENOENT/);
      await removeSocketFile(path);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
