/**
 * A container's CRI mounts from its volumeMounts: the volume's host path (with subPath)
 * at mountPath; plus the pod's managed /etc/hosts, as the kubelet adds for pods that do
 * not use the host's network.
 */
import { join, normalize } from 'node:path';
import type { Container } from '@tkube/api';

export interface ContainerMount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
}

export class MountError extends Error {
  override name = 'MountError';
}

export function containerMounts(
  container: Container,
  volumePaths: ReadonlyMap<string, string>,
  etcHostsPath?: string,
): ContainerMount[] {
  const mounts: ContainerMount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const base = volumePaths.get(mount.name);
    if (base === undefined) throw new MountError(`unable to find volume "${mount.name}" for the container's mount`);
    let hostPath = base;
    if (mount.subPath) {
      const sub = normalize(mount.subPath);
      if (sub.startsWith('..') || sub.startsWith('/')) throw new MountError(`invalid subPath "${mount.subPath}"`);
      hostPath = join(base, sub);
    }
    mounts.push({ containerPath: mount.mountPath, hostPath, readonly: mount.readOnly ?? false });
  }
  const mountsEtcHosts = mounts.some((m) => m.containerPath === '/etc/hosts');
  if (etcHostsPath && !mountsEtcHosts)
    mounts.push({ containerPath: '/etc/hosts', hostPath: etcHostsPath, readonly: false });
  return mounts;
}
