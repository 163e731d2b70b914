/** apps/v1 ControllerRevision: a snapshot that never changes once written. */
import type { ControllerRevision, KubeObject } from '../../types.js';
import { type ErrorList, immutable, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validateNonnegative } from '../object-meta.js';
import { semanticEqual } from '../semantic-equal.js';

export function validateControllerRevision(object: KubeObject): ErrorList {
  const revision = object as ControllerRevision;
  const errs: ErrorList = [];
  if (revision.data === undefined || revision.data === null)
    errs.push(required(FieldPath.root('data'), 'data is mandatory'));
  errs.push(...validateNonnegative(revision.revision, FieldPath.root('revision')));
  return errs;
}

export function validateControllerRevisionUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const data = (object as ControllerRevision).data;
  return semanticEqual(data, (old as ControllerRevision).data) ? [] : [immutable(FieldPath.root('data'), data)];
}
