/** A container's env and envFrom (ValidateEnv, validateEnvVarValueFrom, ValidateEnvFrom). */
import type { Container, EnvVar } from '../../types.js';
import { type ErrorList, invalid, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { configMapKeyErrors, envVarNameErrors } from '../names.js';
import { nameIsDNSSubdomain } from '../object-name.js';

type EnvFromSource = NonNullable<Container['envFrom']>[number];

/** The fields a container's env may read through the downward API. */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

const ENV_RESOURCE_FIELDS = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

export function validateEnv(vars: EnvVar[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  (vars ?? []).forEach((ev, i) => {
    const at = path.index(i);
    const name = ev.name ?? '';
    if (!name) errs.push(required(at.child('name')));
    for (const msg of envVarNameErrors(name)) errs.push(invalid(at.child('name'), name, msg));
    errs.push(...validateValueFrom(ev, at.child('valueFrom')));
  });
  return errs;
}

function validateValueFrom(ev: EnvVar, path: FieldPath): ErrorList {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: ErrorList = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, ENV_FIELD_PATHS, path.child('fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    const ref = from.resourceFieldRef;
    if (!ref.resource) errs.push(required(path.child('resourceFieldRef', 'resource')));
    else if (
      !ENV_RESOURCE_FIELDS.includes(ref.resource) &&
      !ref.resource.startsWith('limits.hugepages-') &&
      !ref.resource.startsWith('requests.hugepages-')
    ) {
      errs.push(notSupported(path.child('resourceFieldRef', 'resource'), ref.resource, ENV_RESOURCE_FIELDS));
    }
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, path.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, path.child('secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(
      invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'),
    );
  } else if (ev.value) {
    errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

/** A fieldRef of env or of a downwardAPI volume item. */
export function validateObjectFieldSelector(
  ref: { apiVersion?: string; fieldPath?: string },
  allowed: readonly string[],
  path: FieldPath,
): ErrorList {
  const errs: ErrorList = [];
  if (!ref.apiVersion) errs.push(required(path.child('apiVersion')));
  const fieldPath = ref.fieldPath ?? '';
  if (!fieldPath) {
    errs.push(required(path.child('fieldPath')));
    return errs;
  }
  // metadata.labels['key'] and metadata.annotations['key'] name a single entry.
  const subscript = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (subscript) return errs;
  if (!allowed.includes(fieldPath)) errs.push(notSupported(path.child('fieldPath'), fieldPath, allowed));
  return errs;
}

function validateKeySelector(ref: { name?: string; key?: string }, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const name = ref.name ?? '';
  if (!name) errs.push(required(path.child('name')));
  else for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(path.child('name'), name, msg));
  const key = ref.key ?? '';
  if (!key) errs.push(required(path.child('key')));
  else for (const msg of configMapKeyErrors(key)) errs.push(invalid(path.child('key'), key, msg));
  return errs;
}

export function validateEnvFrom(sources: EnvFromSource[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  (sources ?? []).forEach((source, i) => {
    const at = path.index(i);
    if (source.prefix) {
      for (const msg of envVarNameErrors(source.prefix)) errs.push(invalid(at.child('prefix'), source.prefix, msg));
    }
    let count = 0;
    if (source.configMapRef) {
      count++;
      const name = source.configMapRef.name ?? '';
      if (!name) errs.push(required(at.child('configMapRef', 'name')));
      else
        for (const msg of nameIsDNSSubdomain(name, false))
          errs.push(invalid(at.child('configMapRef', 'name'), name, msg));
    }
    if (source.secretRef) {
      count++;
      const name = source.secretRef.name ?? '';
      if (!name) errs.push(required(at.child('secretRef', 'name')));
      else
        for (const msg of nameIsDNSSubdomain(name, false)) errs.push(invalid(at.child('secretRef', 'name'), name, msg));
    }
    if (count === 0) errs.push(invalid(at, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) errs.push(invalid(at, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
