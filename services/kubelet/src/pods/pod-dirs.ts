/**
 * Where a pod's files live under --root-dir:
 * - `pods/<uid>/volumes/<plugin>/<volume>`: emptyDir, configMap and secret volumes;
 * - `pods/<uid>/etc-hosts`, `pods/<uid>/network.json`: the hosts file and the network the
 *   kubelet set up for the sandbox (the runtime does not know the pod IP: the kubelet got it
 *   from the network plugin, and must remember it across restarts);
 * - `pods/<namespace>_<name>_<uid>/<container>/<restartCount>.log`: the CRI log directory.
 */
import { join } from 'node:path';
import type { Pod } from '@tkube/api';

export class PodDirs {
  constructor(readonly rootDir: string) {}

  podsDir(): string {
    return join(this.rootDir, 'pods');
  }

  podDir(uid: string): string {
    return join(this.rootDir, 'pods', uid);
  }

  volumeDir(uid: string, plugin: string, volumeName: string): string {
    return join(this.podDir(uid), 'volumes', plugin, volumeName);
  }

  logDir(namespace: string, name: string, uid: string): string {
    return join(this.rootDir, 'pods', `${namespace}_${name}_${uid}`);
  }

  logDirOf(pod: Pod): string {
    const meta = pod.metadata ?? {};
    return this.logDir(meta.namespace ?? 'default', meta.name ?? '', meta.uid ?? '');
  }

  pkiDir(): string {
    return join(this.rootDir, 'pki');
  }
}

/** The log path of a container relative to the log directory (CRI's ContainerConfig.log_path). */
export function containerLogPath(containerName: string, restartCount: number): string {
  return join(containerName, `${restartCount}.log`);
}
