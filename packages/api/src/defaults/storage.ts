/** PersistentVolume, PersistentVolumeClaim and StorageClass defaults. */
import type { PersistentVolume, PersistentVolumeClaim, StorageClass } from '../types.js';
import { canonicalizeResourceList } from './pod-spec.js';

export function defaultPersistentVolumeClaim(claim: PersistentVolumeClaim): void {
  const spec = (claim.spec ??= {});
  spec.volumeMode ??= 'Filesystem';
  canonicalizeResourceList(spec.resources?.requests);
  canonicalizeResourceList(spec.resources?.limits);
  (claim.status ??= {}).phase ||= 'Pending';
}

export function defaultPersistentVolume(volume: PersistentVolume): void {
  const spec = (volume.spec ??= {});
  spec.persistentVolumeReclaimPolicy ||= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (spec.hostPath) spec.hostPath.type ??= '';
  canonicalizeResourceList(spec.capacity);
  (volume.status ??= {}).phase ||= 'Pending';
}

export function defaultStorageClass(storageClass: StorageClass): void {
  storageClass.reclaimPolicy ||= 'Delete';
  storageClass.volumeBindingMode ||= 'Immediate';
}
