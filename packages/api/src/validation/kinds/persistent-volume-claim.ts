/** core/v1 PersistentVolumeClaim (ValidatePersistentVolumeClaimSpec and its update rule). */
import { validateLabelSelector } from '../../label-selector.js';
import type { KubeObject, PersistentVolumeClaim } from '../../types.js';
import { type ErrorList, forbidden, invalid, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { nameIsDNSSubdomain } from '../object-name.js';
import { validatePositiveQuantity } from '../quantity-checks.js';
import { deepCopy, semanticEqual } from '../semantic-equal.js';

type ClaimSpec = NonNullable<PersistentVolumeClaim['spec']>;

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
export const VOLUME_MODES = ['Block', 'Filesystem'];

export function validateAccessModes(modes: string[] | undefined, path: FieldPath, emptyDetail: string): ErrorList {
  const errs: ErrorList = [];
  if (!modes || modes.length === 0) errs.push(required(path, emptyDetail));
  for (const mode of modes ?? []) if (!ACCESS_MODES.includes(mode)) errs.push(notSupported(path, mode, ACCESS_MODES));
  if (modes?.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

export function validatePersistentVolumeClaimSpec(spec: ClaimSpec | undefined, path: FieldPath): ErrorList {
  const s: ClaimSpec = spec ?? {};
  const errs = validateAccessModes(s.accessModes, path.child('accessModes'), 'at least 1 access mode is required');
  if (s.selector) errs.push(...validateLabelSelector(s.selector, path.child('selector').toString()));
  const storagePath = path.child('resources').key('storage');
  const storage = s.resources?.requests?.storage;
  if (storage === undefined) errs.push(required(storagePath));
  else errs.push(...validatePositiveQuantity(storage, storagePath).errs);
  if (s.storageClassName) {
    for (const msg of nameIsDNSSubdomain(s.storageClassName, false))
      errs.push(invalid(path.child('storageClassName'), s.storageClassName, msg));
  }
  if (s.volumeMode !== undefined && !VOLUME_MODES.includes(s.volumeMode)) {
    errs.push(notSupported(path.child('volumeMode'), s.volumeMode, VOLUME_MODES));
  }
  return errs;
}

export function validatePersistentVolumeClaim(object: KubeObject): ErrorList {
  return validatePersistentVolumeClaimSpec((object as PersistentVolumeClaim).spec, FieldPath.root('spec'));
}

/** After creation a claim may only grow (resources.requests) or change its attributes class. */
export function validatePersistentVolumeClaimUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const spec = deepCopy((object as PersistentVolumeClaim).spec ?? {});
  const oldSpec = deepCopy((old as PersistentVolumeClaim).spec ?? {});
  for (const s of [spec, oldSpec]) {
    if (s.resources) delete s.resources.requests;
    delete s.volumeAttributesClassName;
  }
  // The binder fills volumeName once; setting it from empty is allowed.
  if (!oldSpec.volumeName) delete spec.volumeName;
  if (semanticEqual(spec, oldSpec)) return [];
  return [
    forbidden(
      FieldPath.root('spec'),
      'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ),
  ];
}
