/** apps/v1 Deployment (ValidateDeploymentSpec, ValidateDeploymentStrategy, ValidateDeploymentUpdate). */
import type { Deployment, KubeObject } from '../../types.js';
import { type ErrorList, forbidden, immutable, invalid, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import {
  intOrPercentValue,
  intOrStringValue,
  validateNotMoreThan100Percent,
  validatePositiveIntOrPercent,
} from '../int-or-string.js';
import { validateNonnegative } from '../object-meta.js';
import { semanticEqual } from '../semantic-equal.js';
import { validateSelectorAndTemplate } from './workload.js';

type Strategy = NonNullable<NonNullable<Deployment['spec']>['strategy']>;

function validateStrategy(strategy: Strategy | undefined, path: FieldPath): ErrorList {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate
        ? [forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case 'RollingUpdate': {
      const rolling = s.rollingUpdate;
      if (!rolling) return [required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      const at = path.child('rollingUpdate');
      const errs = [
        ...validatePositiveIntOrPercent(rolling.maxUnavailable, at.child('maxUnavailable')),
        ...validatePositiveIntOrPercent(rolling.maxSurge, at.child('maxSurge')),
      ];
      if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0) {
        errs.push(
          invalid(
            at.child('maxUnavailable'),
            intOrStringValue(rolling.maxUnavailable),
            'may not be 0 when `maxSurge` is 0',
          ),
        );
      }
      errs.push(...validateNotMoreThan100Percent(rolling.maxUnavailable, at.child('maxUnavailable')));
      return errs;
    }
    default:
      return [notSupported(path.child('type'), s.type ?? '', ['Recreate', 'RollingUpdate'])];
  }
}

export function validateDeployment(object: KubeObject): ErrorList {
  const spec = (object as Deployment).spec;
  const path = FieldPath.root('spec');
  if (!spec) return [required(path)];
  const errs: ErrorList = [];
  errs.push(...validateNonnegative(spec.replicas, path.child('replicas')));
  errs.push(
    ...validateSelectorAndTemplate(spec, path, {
      emptySelectorMessage: 'empty selector is invalid for deployment',
      controllerKind: 'ReplicaSet',
    }),
  );
  errs.push(...validateStrategy(spec.strategy, path.child('strategy')));
  errs.push(...validateNonnegative(spec.minReadySeconds, path.child('minReadySeconds')));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, path.child('revisionHistoryLimit')));
  const deadline = spec.progressDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    errs.push(...validateNonnegative(deadline, path.child('progressDeadlineSeconds')));
    if (deadline <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalid(path.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** In apps/v1 a controller's selector is fixed at creation: changing it would orphan its pods. */
export function validateSelectorUnchanged(object: KubeObject, old: KubeObject): ErrorList {
  const selector = (object.spec as { selector?: unknown } | undefined)?.selector;
  const oldSelector = (old.spec as { selector?: unknown } | undefined)?.selector;
  return semanticEqual(selector, oldSelector) ? [] : [immutable(FieldPath.root('spec', 'selector'), selector)];
}
