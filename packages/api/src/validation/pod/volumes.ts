/**
 * Pod volumes and container volume mounts (ValidateVolumes, validateVolumeSource,
 * ValidateVolumeMounts): unique DNS-label names, exactly one source each, the fields each
 * source needs, and mounts that name a declared volume.
 */
import type { Container, Volume } from '../../types.js';
import { VOLUME_SOURCES, type VolumeSource } from '../../volume-sources.js';
import { duplicate, type ErrorList, forbidden, invalid, notFound, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { dns1123LabelErrors } from '../names.js';
import { nameIsDNSSubdomain } from '../object-name.js';
import { validateObjectFieldSelector } from './env.js';

type VolumeMount = NonNullable<Container['volumeMounts']>[number];
type KeyToPath = { key?: string; path?: string; mode?: number };

const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';
const DOWNWARD_VOLUME_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];

function validateFileMode(mode: number | undefined, path: FieldPath): ErrorList {
  return mode !== undefined && mode !== null && (mode < 0 || mode > 0o777)
    ? [invalid(path, mode, FILE_MODE_ERROR)]
    : [];
}

/** A path inside the volume: relative and never climbing out with "..". */
export function validateLocalDescendingPath(target: string, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (target.startsWith('/')) errs.push(invalid(path, target, 'must be a relative path'));
  if (target.split(/[\\/]/).includes('..')) errs.push(invalid(path, target, "must not contain '..'"));
  return errs;
}

function validateLocalNonReservedPath(target: string, path: FieldPath): ErrorList {
  const errs = validateLocalDescendingPath(target, path);
  if (target.length >= 2 && target.startsWith('..')) errs.push(invalid(path, target, "must not start with '..'"));
  return errs;
}

function validateItems(items: KeyToPath[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  (items ?? []).forEach((item, i) => {
    const at = path.index(i);
    if (!item.key) errs.push(required(at.child('key')));
    if (!item.path) errs.push(required(at.child('path')));
    else errs.push(...validateLocalNonReservedPath(item.path, at.child('path')));
    errs.push(...validateFileMode(item.mode, at.child('mode')));
  });
  return errs;
}

function validateDownwardAPIItems(
  items: { path?: string; fieldRef?: { apiVersion?: string; fieldPath?: string }; mode?: number }[] | undefined,
  path: FieldPath,
): ErrorList {
  const errs: ErrorList = [];
  (items ?? []).forEach((item, i) => {
    const at = path.index(i);
    if (!item.path) errs.push(required(at.child('path')));
    else errs.push(...validateLocalNonReservedPath(item.path, at.child('path')));
    if (item.fieldRef)
      errs.push(...validateObjectFieldSelector(item.fieldRef, DOWNWARD_VOLUME_FIELD_PATHS, at.child('fieldRef')));
    errs.push(...validateFileMode(item.mode, at.child('mode')));
  });
  return errs;
}

function validateSourceFields(volume: Volume, source: VolumeSource, path: FieldPath): ErrorList {
  const at = path.child(source);
  const errs: ErrorList = [];
  switch (source) {
    case 'hostPath': {
      const hostPath = volume.hostPath;
      if (!hostPath?.path) errs.push(required(at.child('path')));
      if (hostPath?.type !== undefined && !HOST_PATH_TYPES.includes(hostPath.type)) {
        errs.push(notSupported(at.child('type'), hostPath.type, HOST_PATH_TYPES));
      }
      break;
    }
    case 'secret': {
      const secret = volume.secret;
      if (!secret?.secretName) errs.push(required(at.child('secretName')));
      errs.push(...validateFileMode(secret?.defaultMode, at.child('defaultMode')));
      errs.push(...validateItems(secret?.items, at.child('items')));
      break;
    }
    case 'configMap': {
      const configMap = volume.configMap;
      const name = configMap?.name ?? '';
      if (!name) errs.push(required(at.child('name')));
      else for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(at.child('name'), name, msg));
      errs.push(...validateFileMode(configMap?.defaultMode, at.child('defaultMode')));
      errs.push(...validateItems(configMap?.items, at.child('items')));
      break;
    }
    case 'persistentVolumeClaim':
      if (!volume.persistentVolumeClaim?.claimName) errs.push(required(at.child('claimName')));
      break;
    case 'nfs': {
      const nfs = volume.nfs;
      if (!nfs?.server) errs.push(required(at.child('server')));
      if (!nfs?.path) errs.push(required(at.child('path')));
      else if (!nfs.path.startsWith('/')) errs.push(invalid(at.child('path'), nfs.path, 'must be an absolute path'));
      break;
    }
    case 'downwardAPI':
      errs.push(...validateFileMode(volume.downwardAPI?.defaultMode, at.child('defaultMode')));
      errs.push(...validateDownwardAPIItems(volume.downwardAPI?.items, at.child('items')));
      break;
    case 'projected':
      errs.push(...validateFileMode(volume.projected?.defaultMode, at.child('defaultMode')));
      break;
    case 'csi':
      if (!volume.csi?.driver) errs.push(required(at.child('driver')));
      break;
    case 'ephemeral':
      if (!volume.ephemeral?.volumeClaimTemplate) errs.push(required(at.child('volumeClaimTemplate')));
      break;
    case 'image':
      if (!volume.image?.reference) errs.push(required(at.child('reference')));
      break;
    default:
      break;
  }
  return errs;
}

function validateVolumeSource(volume: Volume, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const record = volume as Record<string, unknown>;
  let count = 0;
  for (const source of VOLUME_SOURCES) {
    if (record[source] === undefined || record[source] === null) continue;
    if (count > 0) {
      errs.push(forbidden(path.child(source), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateSourceFields(volume, source, path));
  }
  if (count === 0) errs.push(required(path, 'must specify a volume type'));
  return errs;
}

/** Returns the errors and the names of the volumes that are valid, for mounts to refer to. */
export function validateVolumes(
  volumes: Volume[] | undefined,
  path: FieldPath,
): { errs: ErrorList; names: Set<string> } {
  const errs: ErrorList = [];
  const names = new Set<string>();
  (volumes ?? []).forEach((volume, i) => {
    const at = path.index(i);
    const namePath = at.child('name');
    const own = validateVolumeSource(volume, at);
    const name = volume.name ?? '';
    if (!name) own.push(required(namePath));
    else for (const msg of dns1123LabelErrors(name)) own.push(invalid(namePath, name, msg));
    if (names.has(name)) own.push(duplicate(namePath, name));
    if (own.length === 0) names.add(name);
    else errs.push(...own);
  });
  return { errs, names };
}

export function validateVolumeMounts(
  mounts: VolumeMount[] | undefined,
  volumes: Set<string>,
  path: FieldPath,
): ErrorList {
  const errs: ErrorList = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((mount, i) => {
    const at = path.index(i);
    const name = mount.name ?? '';
    if (!name) errs.push(required(at.child('name')));
    if (!volumes.has(name)) errs.push(notFound(at.child('name'), name));
    const mountPath = mount.mountPath ?? '';
    if (!mountPath) errs.push(required(at.child('mountPath')));
    if (mountPoints.has(mountPath)) errs.push(invalid(at.child('mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    if (mount.subPath) errs.push(...validateLocalDescendingPath(mount.subPath, at.child('subPath')));
    if (mount.subPathExpr) {
      if (mount.subPath)
        errs.push(
          invalid(at.child('subPathExpr'), mount.subPathExpr, 'subPathExpr and subPath are mutually exclusive'),
        );
      errs.push(...validateLocalDescendingPath(mount.subPathExpr, at.child('subPathExpr')));
    }
    const propagation = mount.mountPropagation;
    if (propagation !== undefined && !['Bidirectional', 'HostToContainer', 'None'].includes(propagation)) {
      errs.push(notSupported(at.child('mountPropagation'), propagation, ['Bidirectional', 'HostToContainer', 'None']));
    }
  });
  return errs;
}
