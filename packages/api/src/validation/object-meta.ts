/**
 * ObjectMeta validation, as apimachinery's ValidateObjectMeta and ValidateObjectMetaUpdate:
 * name and generateName by the kind's rule, namespace presence, labels, annotations,
 * owner references and finalizers.
 */
import type { ObjectMeta, OwnerReference } from '../types.js';
import { type ErrorList, forbidden, immutable, invalid, required, tooLong } from './field-errors.js';
import { FieldPath } from './field-path.js';
import { byteLength, dns1123LabelErrors, labelValueErrors, NEGATIVE_ERROR, qualifiedNameErrors } from './names.js';
import type { NameRule } from './object-name.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';

export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  for (const [key, value] of Object.entries(labels ?? {})) {
    errs.push(...validateQualifiedName(key, path));
    for (const msg of labelValueErrors(String(value))) errs.push(invalid(path, value, msg));
  }
  return errs;
}

export function validateQualifiedName(value: string, path: FieldPath): ErrorList {
  return qualifiedNameErrors(value).map((msg) => invalid(path, value, msg));
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  let total = 0;
  for (const [key, value] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names, except that case does not matter.
    for (const msg of qualifiedNameErrors(key.toLowerCase())) errs.push(invalid(path, key, msg));
    total += byteLength(key) + byteLength(String(value));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function validateOwnerReference(ref: OwnerReference, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const { group, version } = splitApiVersion(ref.apiVersion ?? '');
  if (!version) errs.push(invalid(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  if (!ref.kind) errs.push(invalid(path.child('kind'), ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(invalid(path.child('name'), ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(invalid(path.child('uid'), ref.uid ?? '', 'must not be empty'));
  if (group === '' && version === 'v1' && ref.kind === 'Event') {
    errs.push(invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
  }
  return errs;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  for (const finalizer of finalizers ?? []) errs.push(...validateQualifiedName(finalizer, path));
  if (finalizers?.includes(FINALIZER_ORPHAN) && finalizers.includes(FINALIZER_FOREGROUND)) {
    errs.push(
      invalid(path, finalizers, `finalizer ${FINALIZER_ORPHAN} and ${FINALIZER_FOREGROUND} cannot be both set`),
    );
  }
  return errs;
}

export function validateNonnegative(value: number | undefined, path: FieldPath): ErrorList {
  return value !== undefined && value !== null && value < 0 ? [invalid(path, value, NEGATIVE_ERROR)] : [];
}

/** The parts checked both on create and on update. */
function validateMetaCommon(meta: ObjectMeta, namespaced: boolean, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (namespaced) {
    if (!meta.namespace) errs.push(required(path.child('namespace')));
    else
      for (const msg of dns1123LabelErrors(meta.namespace))
        errs.push(invalid(path.child('namespace'), meta.namespace, msg));
  } else if (meta.namespace) {
    errs.push(forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(meta.generation, path.child('generation')));
  errs.push(...validateLabels(meta.labels, path.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, path.child('finalizers')));
  return errs;
}

/** ValidateObjectMeta: name generation, when asked for, has already happened. */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  namespaced: boolean,
  nameRule: NameRule,
  path: FieldPath = FieldPath.root('metadata'),
): ErrorList {
  const m = meta ?? {};
  const errs: ErrorList = [];
  if (m.generateName) {
    for (const msg of nameRule(m.generateName, true))
      errs.push(invalid(path.child('generateName'), m.generateName, msg));
  }
  if (!m.name) errs.push(required(path.child('name'), 'name or generateName is required'));
  else for (const msg of nameRule(m.name, false)) errs.push(invalid(path.child('name'), m.name, msg));
  errs.push(...validateMetaCommon(m, namespaced, path));
  return errs;
}

/**
 * ValidateObjectMetaUpdate. The registry copies uid and creationTimestamp from the stored
 * object when a request leaves them out (rest.BeforeUpdate), so only a different value
 * counts as a change here; resourceVersion and generation are the registry's to manage.
 */
export function validateObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  old: ObjectMeta | undefined,
  namespaced: boolean,
  path: FieldPath = FieldPath.root('metadata'),
): ErrorList {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: ErrorList = [];
  if (o.deletionTimestamp) {
    const added = [...new Set(m.finalizers ?? [])].filter((f) => !(o.finalizers ?? []).includes(f)).sort();
    if (added.length > 0) {
      errs.push(
        forbidden(
          path.child('finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if ((m.name ?? '') !== (o.name ?? '')) errs.push(immutable(path.child('name'), m.name ?? ''));
  if ((m.namespace ?? '') !== (o.namespace ?? '')) errs.push(immutable(path.child('namespace'), m.namespace ?? ''));
  if (m.uid && m.uid !== o.uid) errs.push(immutable(path.child('uid'), m.uid));
  if (m.creationTimestamp && o.creationTimestamp && m.creationTimestamp !== o.creationTimestamp) {
    errs.push(immutable(path.child('creationTimestamp'), m.creationTimestamp));
  }
  if (m.deletionTimestamp && m.deletionTimestamp !== o.deletionTimestamp) {
    errs.push(immutable(path.child('deletionTimestamp'), m.deletionTimestamp));
  }
  if (
    m.deletionGracePeriodSeconds !== undefined &&
    o.deletionGracePeriodSeconds !== undefined &&
    m.deletionGracePeriodSeconds !== o.deletionGracePeriodSeconds
  ) {
    errs.push(immutable(path.child('deletionGracePeriodSeconds'), m.deletionGracePeriodSeconds));
  }
  errs.push(...validateMetaCommon(m, namespaced, path));
  return errs;
}
