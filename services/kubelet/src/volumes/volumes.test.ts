import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Pod, Secret } from '@tkube/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PodDirs } from '../pods/pod-dirs.js';
import { writeAtomically } from './atomic-writer.js';
import { checkHostPath } from './host-path.js';
import type { Mounter } from './mounter.js';
import { containerMounts } from './mounts.js';
import { VolumeManager, VolumeSetUpError } from './volume-manager.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelet-volumes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = (text: string, mode = 0o644) => ({ data: Buffer.from(text), mode });

describe('writeAtomically', () => {
  it('publishes the files through ..data and swaps the whole set on update', async () => {
    const target = join(dir, 'vol');
    expect(
      await writeAtomically(
        target,
        new Map([
          ['a', file('1')],
          ['sub/b', file('2', 0o600)],
        ]),
      ),
    ).toBe(true);
    expect(await readFile(join(target, 'a'), 'utf8')).toBe('1');
    expect(await readFile(join(target, 'sub/b'), 'utf8')).toBe('2');
    expect((await lstat(join(target, 'a'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(target, 'a'))).toBe('..data/a');
    expect((await stat(join(target, 'sub/b'))).mode & 0o777).toBe(0o600);
    const firstData = await readlink(join(target, '..data'));

    expect(
      await writeAtomically(
        target,
        new Map([
          ['a', file('1')],
          ['sub/b', file('2', 0o600)],
        ]),
      ),
    ).toBe(false);
    expect(
      await writeAtomically(
        target,
        new Map([
          ['a', file('changed')],
          ['c', file('3')],
        ]),
      ),
    ).toBe(true);
    expect(await readlink(join(target, '..data'))).not.toBe(firstData);
    expect(await readFile(join(target, 'a'), 'utf8')).toBe('changed');
    expect(await readFile(join(target, 'c'), 'utf8')).toBe('3');
    await expect(stat(join(target, 'sub'))).rejects.toThrow();
    await expect(stat(join(target, firstData))).rejects.toThrow();
  });

  it('refuses paths that leave the directory', async () => {
    await expect(writeAtomically(join(dir, 'v'), new Map([['../x', file('1')]]))).rejects.toThrow(/invalid file path/);
  });
});

describe('checkHostPath', () => {
  it('creates for the OrCreate types and checks the others', async () => {
    await checkHostPath(join(dir, 'new-dir'), 'DirectoryOrCreate');
    expect((await stat(join(dir, 'new-dir'))).isDirectory()).toBe(true);
    await checkHostPath(join(dir, 'new-file'), 'FileOrCreate');
    expect((await stat(join(dir, 'new-file'))).isFile()).toBe(true);
    await checkHostPath(join(dir, 'new-dir'), 'Directory');
    await expect(checkHostPath(join(dir, 'new-file'), 'Directory')).rejects.toThrow('is not a directory');
    await expect(checkHostPath(join(dir, 'missing'), 'File')).rejects.toThrow('does not exist');
    await expect(checkHostPath(join(dir, 'new-dir'), 'Socket')).rejects.toThrow('is not a socket file');
    await checkHostPath(join(dir, 'anything'), undefined);
  });
});

describe('VolumeManager', () => {
  const configMaps = new Map<string, ConfigMap>([
    ['cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'debug=1', other: 'x' } }],
  ]);
  const secrets = new Map<string, Secret>([
    ['creds', { metadata: { name: 'creds' }, data: { token: Buffer.from('t0k').toString('base64') } }],
  ]);
  const source = {
    getConfigMap: async (_ns: string, name: string) => configMaps.get(name),
    getSecret: async (_ns: string, name: string) => secrets.get(name),
  };
  const mounted: string[] = [];
  const mounter: Mounter = {
    mountTmpfs: async (d) => void mounted.push(d),
    unmount: async (d) => void mounted.splice(mounted.indexOf(d), 1),
    isMountPoint: async (d) => mounted.includes(d),
  };

  const pod = (volumes: NonNullable<Pod['spec']>['volumes']): Pod => ({
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' },
    spec: { containers: [], volumes },
  });

  it('sets up emptyDir, memory emptyDir, hostPath, configMap and secret volumes', async () => {
    const manager = new VolumeManager(new PodDirs(dir), source, mounter);
    const hostDir = join(dir, 'host');
    const paths = await manager.setUp(
      pod([
        { name: 'scratch', emptyDir: {} },
        { name: 'mem', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
        { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
        { name: 'conf', configMap: { name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o400 }] } },
        { name: 'sec', secret: { secretName: 'creds', defaultMode: 0o440 } },
      ]),
    );
    expect(paths.get('scratch')).toBe(join(dir, 'pods/uid-1/volumes/kubernetes.io~empty-dir/scratch'));
    expect(mounted).toEqual([join(dir, 'pods/uid-1/volumes/kubernetes.io~empty-dir/mem')]);
    expect(paths.get('host')).toBe(hostDir);
    expect(await readFile(join(paths.get('conf') ?? '', 'conf/app.conf'), 'utf8')).toBe('debug=1');
    expect((await stat(join(paths.get('conf') ?? '', 'conf/app.conf'))).mode & 0o777).toBe(0o400);
    await expect(stat(join(paths.get('conf') ?? '', 'other'))).rejects.toThrow();
    expect(await readFile(join(paths.get('sec') ?? '', 'token'), 'utf8')).toBe('t0k');
    expect((await stat(join(paths.get('sec') ?? '', 'token'))).mode & 0o777).toBe(0o440);

    // A changed ConfigMap shows up on the next setUp.
    configMaps.set('cfg', { metadata: { name: 'cfg' }, data: { 'app.conf': 'debug=2' } });
    await manager.setUp(pod([{ name: 'conf', configMap: { name: 'cfg' } }]));
    expect(await readFile(join(paths.get('conf') ?? '', 'app.conf'), 'utf8')).toBe('debug=2');

    await manager.tearDown('uid-1');
    expect(mounted).toEqual([]);
    await expect(stat(join(dir, 'pods/uid-1'))).rejects.toThrow();
    expect((await stat(hostDir)).isDirectory()).toBe(true);
  });

  it('fails with the FailedMount message when a configMap is missing, unless optional', async () => {
    const manager = new VolumeManager(new PodDirs(dir), source, mounter);
    const setUp = manager.setUp(pod([{ name: 'conf', configMap: { name: 'nope' } }]));
    await expect(setUp).rejects.toThrow(VolumeSetUpError);
    await expect(setUp).rejects.toThrow('MountVolume.SetUp failed for volume "conf" : configmap "nope" not found');
    const paths = await manager.setUp(pod([{ name: 'conf', configMap: { name: 'nope', optional: true } }]));
    expect(paths.has('conf')).toBe(true);
  });
});

describe('containerMounts', () => {
  it('maps volumeMounts with subPath and adds the managed /etc/hosts', async () => {
    await mkdir(join(dir, 'v'));
    await writeFile(join(dir, 'hosts'), '');
    await chmod(join(dir, 'hosts'), 0o644);
    const mounts = containerMounts(
      {
        name: 'c',
        volumeMounts: [
          { name: 'data', mountPath: '/data', readOnly: true },
          { name: 'data', mountPath: '/sub', subPath: 'x/y' },
        ],
      },
      new Map([['data', join(dir, 'v')]]),
      join(dir, 'hosts'),
    );
    expect(mounts).toEqual([
      { containerPath: '/data', hostPath: join(dir, 'v'), readonly: true },
      { containerPath: '/sub', hostPath: join(dir, 'v/x/y'), readonly: false },
      { containerPath: '/etc/hosts', hostPath: join(dir, 'hosts'), readonly: false },
    ]);
    expect(() => containerMounts({ name: 'c', volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, new Map())).toThrow(
      /unable to find volume/,
    );
  });
});
