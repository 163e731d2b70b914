/** storage.k8s.io/v1 StorageClass (ValidateStorageClass, ValidateStorageClassUpdate). */
import type { KubeObject, StorageClass } from '../../types.js';
import { type ErrorList, forbidden, immutable, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validateQualifiedName } from '../object-meta.js';
import { semanticEqual } from '../semantic-equal.js';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function validateStorageClass(object: KubeObject): ErrorList {
  const sc = object as StorageClass;
  const errs: ErrorList = [];
  if (!sc.provisioner) errs.push(required(FieldPath.root('provisioner')));
  else errs.push(...validateQualifiedName(sc.provisioner.toLowerCase(), FieldPath.root('provisioner')));
  if (sc.reclaimPolicy !== undefined && !RECLAIM_POLICIES.includes(sc.reclaimPolicy)) {
    errs.push(notSupported(FieldPath.root('reclaimPolicy'), sc.reclaimPolicy, RECLAIM_POLICIES));
  }
  const mode = sc.volumeBindingMode;
  if (!mode) errs.push(required(FieldPath.root('volumeBindingMode')));
  else if (!BINDING_MODES.includes(mode))
    errs.push(notSupported(FieldPath.root('volumeBindingMode'), mode, BINDING_MODES));
  return errs;
}

/** Volumes already provisioned from a class were made with its settings; they cannot change under them. */
export function validateStorageClassUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const sc = object as StorageClass;
  const oldSc = old as StorageClass;
  const errs: ErrorList = [];
  if (!semanticEqual(sc.parameters, oldSc.parameters))
    errs.push(forbidden(FieldPath.root('parameters'), 'updates to parameters are forbidden.'));
  if (sc.provisioner !== oldSc.provisioner)
    errs.push(forbidden(FieldPath.root('provisioner'), 'updates to provisioner are forbidden.'));
  if (sc.reclaimPolicy !== oldSc.reclaimPolicy)
    errs.push(forbidden(FieldPath.root('reclaimPolicy'), 'updates to reclaimPolicy are forbidden.'));
  if (sc.volumeBindingMode !== oldSc.volumeBindingMode)
    errs.push(immutable(FieldPath.root('volumeBindingMode'), sc.volumeBindingMode ?? ''));
  return errs;
}
