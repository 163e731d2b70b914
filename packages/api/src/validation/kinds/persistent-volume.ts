/** core/v1 PersistentVolume (ValidatePersistentVolumeSpec, a subset of the volume sources). */
import type { KubeObject, PersistentVolume } from '../../types.js';
import { type ErrorList, forbidden, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validatePositiveQuantity } from '../quantity-checks.js';
import { VOLUME_MODES, validateAccessModes } from './persistent-volume-claim.js';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'hostPath',
  'glusterfs',
  'nfs',
  'rbd',
  'quobyte',
  'iscsi',
  'cephfs',
  'cinder',
  'fc',
  'flocker',
  'flexVolume',
  'azureFile',
  'vsphereVolume',
  'photonPersistentDisk',
  'portworxVolume',
  'azureDisk',
  'scaleIO',
  'local',
  'storageos',
  'csi',
] as const;

export function validatePersistentVolume(object: KubeObject): ErrorList {
  const spec = (object as PersistentVolume).spec ?? {};
  const path = FieldPath.root('spec');
  const errs = validateAccessModes(spec.accessModes, path.child('accessModes'), '');
  const capacity = spec.capacity ?? {};
  const keys = Object.keys(capacity);
  if (keys.length === 0) errs.push(required(path.child('capacity')));
  else if (!('storage' in capacity) || keys.length > 1)
    errs.push(notSupported(path.child('capacity'), keys, ['storage']));
  if (capacity.storage !== undefined)
    errs.push(...validatePositiveQuantity(capacity.storage, path.child('capacity').key('storage')).errs);
  const reclaim = spec.persistentVolumeReclaimPolicy;
  if (reclaim && !RECLAIM_POLICIES.includes(reclaim)) {
    errs.push(notSupported(path.child('persistentVolumeReclaimPolicy'), reclaim, RECLAIM_POLICIES));
  }
  if (spec.volumeMode !== undefined && !VOLUME_MODES.includes(spec.volumeMode)) {
    errs.push(notSupported(path.child('volumeMode'), spec.volumeMode, VOLUME_MODES));
  }
  const record = spec as Record<string, unknown>;
  let sources = 0;
  for (const source of PV_SOURCES) {
    if (record[source] === undefined || record[source] === null) continue;
    if (sources > 0) errs.push(forbidden(path.child(source), 'may not specify more than 1 volume type'));
    sources++;
  }
  if (sources === 0) errs.push(required(path, 'must specify a volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required(path.child('hostPath', 'path')));
  if (spec.local && !spec.local.path) errs.push(required(path.child('local', 'path')));
  if (spec.csi) {
    if (!spec.csi.driver) errs.push(required(path.child('csi', 'driver')));
    if (!spec.csi.volumeHandle) errs.push(required(path.child('csi', 'volumeHandle')));
  }
  return errs;
}
