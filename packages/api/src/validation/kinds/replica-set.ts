/** apps/v1 ReplicaSet (ValidateReplicaSetSpec). */
import type { KubeObject, ReplicaSet } from '../../types.js';
import { type ErrorList, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validateNonnegative } from '../object-meta.js';
import { validateSelectorAndTemplate } from './workload.js';

export function validateReplicaSet(object: KubeObject): ErrorList {
  const spec = (object as ReplicaSet).spec;
  const path = FieldPath.root('spec');
  if (!spec) return [required(path)];
  const errs: ErrorList = [];
  errs.push(...validateNonnegative(spec.replicas, path.child('replicas')));
  errs.push(...validateNonnegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(
    ...validateSelectorAndTemplate(spec, path, {
      emptySelectorMessage: 'empty selector is invalid for deployment',
      controllerKind: 'ReplicaSet',
    }),
  );
  return errs;
}
