/** Tolerations and taint effects (ValidateTolerations, validateTaintEffect). */
import type { PodSpec } from '../../types.js';
import { type ErrorList, invalid, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { labelValueErrors } from '../names.js';
import { validateQualifiedName } from '../object-meta.js';

type Toleration = NonNullable<PodSpec['tolerations']>[number];

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, path: FieldPath): ErrorList {
  if (!effect) return allowEmpty ? [] : [required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(path, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: Toleration[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  (tolerations ?? []).forEach((toleration, i) => {
    const at = path.index(i);
    const key = toleration.key ?? '';
    const operator = toleration.operator ?? '';
    if (key) errs.push(...validateQualifiedName(key, at.child('key')));
    if (!key && operator !== 'Exists') {
      errs.push(
        invalid(
          at.child('operator'),
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (
      toleration.tolerationSeconds !== undefined &&
      toleration.tolerationSeconds !== null &&
      toleration.effect !== 'NoExecute'
    ) {
      errs.push(
        invalid(
          at.child('effect'),
          toleration.effect ?? '',
          "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ),
      );
    }
    if (operator === 'Equal' || operator === '') {
      for (const msg of labelValueErrors(toleration.value ?? ''))
        errs.push(invalid(at.child('operator'), toleration.value ?? '', msg));
    } else if (operator === 'Exists') {
      if (toleration.value)
        errs.push(invalid(at.child('operator'), toleration, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(at.child('operator'), operator, ['Equal', 'Exists']));
    }
    errs.push(...validateTaintEffect(toleration.effect, true, at.child('effect')));
  });
  return errs;
}
