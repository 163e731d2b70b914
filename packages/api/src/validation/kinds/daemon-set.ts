/** apps/v1 DaemonSet (ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy). */
import type { DaemonSet, KubeObject } from '../../types.js';
import { type ErrorList, invalid, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import {
  intOrPercentValue,
  intOrStringValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from '../int-or-string.js';
import { validateNonnegative } from '../object-meta.js';
import { validateSelectorAndTemplate } from './workload.js';

type UpdateStrategy = NonNullable<NonNullable<DaemonSet['spec']>['updateStrategy']>;

function validateUpdateStrategy(strategy: UpdateStrategy | undefined, path: FieldPath): ErrorList {
  const s = strategy ?? {};
  if (s.type === 'OnDelete') return [];
  if (s.type !== 'RollingUpdate') return [notSupported(path, s, ['RollingUpdate', 'OnDelete'])];
  const rolling = s.rollingUpdate;
  if (!rolling) return [required(path.child('rollingUpdate'))];
  const at = path.child('rollingUpdate');
  const errs = [
    ...validatePositiveIntOrPercent(rolling.maxUnavailable, at.child('maxUnavailable')),
    ...validatePositiveIntOrPercent(rolling.maxSurge, at.child('maxSurge')),
    ...validateNotMoreThan100Percent(rolling.maxUnavailable, at.child('maxUnavailable')),
    ...validateNotMoreThan100Percent(rolling.maxSurge, at.child('maxSurge')),
  ];
  const hasUnavailable = intOrPercentValue(rolling.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rolling.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push(
      invalid(
        at.child('maxSurge'),
        intOrStringValue(rolling.maxSurge),
        'may not be set when maxUnavailable is non-zero',
      ),
    );
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(required(at.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}

export function validateDaemonSet(object: KubeObject): ErrorList {
  const spec = (object as DaemonSet).spec;
  const path = FieldPath.root('spec');
  if (!spec) return [required(path)];
  const errs: ErrorList = [];
  errs.push(
    ...validateSelectorAndTemplate(spec, path, {
      emptySelectorMessage: 'empty selector is invalid for daemonset',
      controllerKind: 'DaemonSet',
    }),
  );
  errs.push(...validateNonnegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  errs.push(...validateUpdateStrategy(spec.updateStrategy, path.child('updateStrategy')));
  return errs;
}
