/** apps/v1 ReplicaSet (ValidateReplicaSetSpec). */
import type { KubeObject, ReplicaSet } from '../../types.js';
import { type ErrorList, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validateNonnegative } from '../object-meta.js';
import { validateControllerTemplate, validateSelector } from './workload.js';

export function validateReplicaSet(object: KubeObject): ErrorList {
  const spec = (object as ReplicaSet).spec;
  const path = FieldPath.root('spec');
  if (!spec) return [required(path)];
  const errs: ErrorList = [];
  errs.push(...validateNonnegative(spec.replicas, path.child('replicas')));
  errs.push(...validateNonnegative(spec.minReadySeconds, path.child('minReadySeconds')));
  const selector = validateSelector(spec.selector, path.child('selector'), 'empty selector is invalid for deployment');
  errs.push(...selector.errs);
  if (selector.selector)
    errs.push(...validateControllerTemplate(spec.template, selector.selector, path.child('template'), 'ReplicaSet'));
  return errs;
}
