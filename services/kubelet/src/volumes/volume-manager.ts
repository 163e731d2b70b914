/**
 * Sets up and tears down a pod's volumes on the host, and says where each one is:
 * emptyDir (a directory under the pod, or a tmpfs for medium Memory), hostPath (checked by
 * type), configMap and secret (files written atomically, rewritten when the object
 * changes: call `setUp` again on every sync). A volume that cannot be set up is a
 * VolumeSetUpError whose message is kube's FailedMount text.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import type { Pod, Volume } from '@tkube/api';
import { Quantity } from '@tkube/api';
import type { ConfigSource } from '../env/container-env.js';
import type { PodDirs } from '../pods/pod-dirs.js';
import { writeAtomically } from './atomic-writer.js';
import { configMapPayload, secretPayload } from './config-payload.js';
import { checkHostPath } from './host-path.js';
import type { Mounter } from './mounter.js';

export class VolumeSetUpError extends Error {
  override name = 'VolumeSetUpError';
  constructor(
    readonly volumeName: string,
    detail: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volumeName}" : ${detail}`);
  }
}

const EMPTY_DIR = 'kubernetes.io~empty-dir';
const CONFIG_MAP = 'kubernetes.io~configmap';
const SECRET = 'kubernetes.io~secret';

export class VolumeManager {
  constructor(
    private readonly dirs: PodDirs,
    private readonly source: ConfigSource,
    private readonly mounter: Mounter,
  ) {}

  /** Volume name -> its path on the host. Safe to repeat; refreshes configMap and secret files. */
  async setUp(pod: Pod): Promise<Map<string, string>> {
    const paths = new Map<string, string>();
    for (const volume of pod.spec?.volumes ?? []) {
      const path = await this.setUpOne(pod, volume).catch((err: unknown) => {
        if (err instanceof VolumeSetUpError) throw err;
        throw new VolumeSetUpError(volume.name, err instanceof Error ? err.message : String(err));
      });
      if (path !== undefined) paths.set(volume.name, path);
    }
    return paths;
  }

  /** Unmounts tmpfs volumes and removes the pod's directory (never a hostPath's contents). */
  async tearDown(uid: string): Promise<void> {
    const emptyDirs = this.dirs.volumeDir(uid, EMPTY_DIR, '');
    for (const name of await readdir(emptyDirs).catch(() => [] as string[])) {
      const dir = this.dirs.volumeDir(uid, EMPTY_DIR, name);
      if (await this.mounter.isMountPoint(dir)) await this.mounter.unmount(dir);
    }
    await rm(this.dirs.podDir(uid), { recursive: true, force: true });
  }

  private async setUpOne(pod: Pod, volume: Volume): Promise<string | undefined> {
    const uid = pod.metadata?.uid ?? '';
    const namespace = pod.metadata?.namespace ?? 'default';
    if (volume.emptyDir) {
      const dir = this.dirs.volumeDir(uid, EMPTY_DIR, volume.name);
      await mkdir(dir, { recursive: true, mode: 0o777 });
      if (volume.emptyDir.medium === 'Memory' && !(await this.mounter.isMountPoint(dir))) {
        const limit = volume.emptyDir.sizeLimit;
        await this.mounter.mountTmpfs(dir, limit !== undefined ? Number(Quantity.from(limit).value()) : undefined);
      }
      return dir;
    }
    if (volume.hostPath) {
      await checkHostPath(volume.hostPath.path, volume.hostPath.type);
      return volume.hostPath.path;
    }
    if (volume.configMap) {
      const dir = this.dirs.volumeDir(uid, CONFIG_MAP, volume.name);
      const name = volume.configMap.name ?? '';
      const configMap = await this.source.getConfigMap(namespace, name);
      if (!configMap && !volume.configMap.optional) {
        throw new VolumeSetUpError(volume.name, `configmap "${name}" not found`);
      }
      await writeAtomically(dir, configMap ? configMapPayload(volume.configMap, configMap) : new Map());
      return dir;
    }
    if (volume.secret) {
      const dir = this.dirs.volumeDir(uid, SECRET, volume.name);
      const name = volume.secret.secretName ?? '';
      const secret = await this.source.getSecret(namespace, name);
      if (!secret && !volume.secret.optional) {
        throw new VolumeSetUpError(volume.name, `secret "${name}" not found`);
      }
      await writeAtomically(dir, secret ? secretPayload(volume.secret, secret) : new Map());
      return dir;
    }
    // Other sources (projected, downwardAPI, persistentVolumeClaim) come with later issues.
    return undefined;
  }
}
