/**
 * core/v1 ConfigMap and Secret (ValidateConfigMap, ValidateSecret and their updates):
 * keys usable as file names, at most 1 MiB of data, the keys each Secret type requires, and
 * nothing changed once `immutable` is true.
 */
import type { ConfigMap, KubeObject, Secret } from '../../types.js';
import { type ErrorList, forbidden, immutable, invalid, required, tooLong } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { byteLength, configMapKeyErrors } from '../names.js';
import { semanticEqual } from '../semantic-equal.js';

export const MAX_DATA_SIZE = 1024 * 1024;
const IMMUTABLE_MESSAGE = 'field is immutable when `immutable` is set';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The decoded size of base64 data (what Go's []byte holds), or undefined when it is not base64. */
function decodedSize(value: unknown): number | undefined {
  if (typeof value !== 'string' || !BASE64.test(value)) return undefined;
  return Buffer.from(value, 'base64').length;
}

function validateKeys(data: Record<string, unknown> | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  for (const key of Object.keys(data ?? {})) {
    for (const msg of configMapKeyErrors(key)) errs.push(invalid(path.key(key), key, msg));
  }
  return errs;
}

/** Base64 data that does not decode is refused where kube-apiserver's decoder refuses it. */
function validateBase64(data: Record<string, unknown> | undefined, path: FieldPath): { errs: ErrorList; size: number } {
  const errs: ErrorList = [];
  let size = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    const decoded = decodedSize(value);
    if (decoded === undefined) errs.push(invalid(path.key(key), '<secret contents redacted>', 'illegal base64 data'));
    else size += decoded;
  }
  return { errs, size };
}

export function validateConfigMap(object: KubeObject): ErrorList {
  const cm = object as ConfigMap;
  const errs = validateKeys(cm.data, FieldPath.root('data'));
  let size = 0;
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    if (cm.binaryData && key in cm.binaryData) {
      errs.push(invalid(FieldPath.root('data').key(key), key, 'duplicate of key present in binaryData'));
    }
    size += byteLength(String(value));
  }
  errs.push(...validateKeys(cm.binaryData, FieldPath.root('binaryData')));
  const binary = validateBase64(cm.binaryData, FieldPath.root('binaryData'));
  errs.push(...binary.errs);
  size += binary.size;
  if (size > MAX_DATA_SIZE) errs.push(tooLong(FieldPath.root(''), MAX_DATA_SIZE));
  return errs;
}

function validateImmutableData(
  object: ConfigMap | Secret,
  old: ConfigMap | Secret,
  dataFields: readonly ('data' | 'binaryData')[],
): ErrorList {
  if (old.immutable !== true) return [];
  const errs: ErrorList = [];
  if (object.immutable !== true) errs.push(forbidden(FieldPath.root('immutable'), IMMUTABLE_MESSAGE));
  for (const field of dataFields) {
    const value = (object as Record<string, unknown>)[field];
    const oldValue = (old as Record<string, unknown>)[field];
    if (!semanticEqual(value, oldValue)) errs.push(forbidden(FieldPath.root(field), IMMUTABLE_MESSAGE));
  }
  return errs;
}

export function validateConfigMapUpdate(object: KubeObject, old: KubeObject): ErrorList {
  return validateImmutableData(object as ConfigMap, old as ConfigMap, ['data', 'binaryData']);
}

/** The keys each well-known Secret type must carry. */
function validateSecretType(secret: Secret, dataPath: FieldPath): ErrorList {
  const data = secret.data ?? {};
  const has = (key: string) => key in data;
  switch (secret.type) {
    case 'kubernetes.io/service-account-token':
      return secret.metadata?.annotations?.['kubernetes.io/service-account.name']
        ? []
        : [required(FieldPath.root('metadata', 'annotations').key('kubernetes.io/service-account.name'))];
    case 'kubernetes.io/dockercfg':
      return has('.dockercfg') ? [] : [required(dataPath.key('.dockercfg'))];
    case 'kubernetes.io/dockerconfigjson':
      return has('.dockerconfigjson') ? [] : [required(dataPath.key('.dockerconfigjson'))];
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password')
        ? []
        : [required(dataPath.key('username')), required(dataPath.key('password'))];
    case 'kubernetes.io/ssh-auth':
      return data['ssh-privatekey'] ? [] : [required(dataPath.key('ssh-privatekey'))];
    case 'kubernetes.io/tls': {
      const errs: ErrorList = [];
      if (!has('tls.crt')) errs.push(required(dataPath.key('tls.crt')));
      if (!has('tls.key')) errs.push(required(dataPath.key('tls.key')));
      return errs;
    }
    default:
      return [];
  }
}

export function validateSecret(object: KubeObject): ErrorList {
  const secret = object as Secret;
  const dataPath = FieldPath.root('data');
  const errs = validateKeys(secret.data, dataPath);
  const decoded = validateBase64(secret.data, dataPath);
  errs.push(...decoded.errs);
  if (decoded.size > MAX_DATA_SIZE) errs.push(tooLong(dataPath, MAX_DATA_SIZE));
  errs.push(...validateSecretType(secret, dataPath));
  return errs;
}

export function validateSecretUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const secret = object as Secret;
  const oldSecret = old as Secret;
  const errs: ErrorList = [];
  if ((secret.type ?? '') !== (oldSecret.type ?? '')) errs.push(immutable(FieldPath.root('type'), secret.type ?? ''));
  errs.push(...validateImmutableData(secret, oldSecret, ['data']));
  return errs;
}
