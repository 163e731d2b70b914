/**
 * core/v1 Pod (ValidatePodCreate, ValidatePodUpdate). Once created, a pod's spec is fixed
 * except for container images, a shorter activeDeadlineSeconds and added tolerations:
 * anything else needs a new pod, which is what controllers make.
 */
import type { KubeObject, Pod, PodSpec } from '../../types.js';
import { type ErrorList, forbidden, invalid, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { inclusiveRangeError } from '../names.js';
import { validatePodSpec } from '../pod/pod-spec.js';
import { deepCopy, semanticEqual } from '../semantic-equal.js';

const MAX_INT32 = 2147483647;
const SPEC_UPDATE_MESSAGE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePod(object: KubeObject): ErrorList {
  return validatePodSpec((object as Pod).spec, FieldPath.root('spec'));
}

function validateContainerCount(
  containers: PodSpec['containers'] | undefined,
  oldContainers: PodSpec['containers'] | undefined,
  path: FieldPath,
): ErrorList {
  if ((containers ?? []).length !== (oldContainers ?? []).length) {
    return [forbidden(path, 'pod updates may not add or remove containers')];
  }
  const errs: ErrorList = [];
  (containers ?? []).forEach((c, i) => {
    if (!c.image) errs.push(required(path.index(i).child('image')));
  });
  return errs;
}

function validateActiveDeadlineUpdate(spec: PodSpec, oldSpec: PodSpec, path: FieldPath): ErrorList {
  const value = spec.activeDeadlineSeconds;
  const old = oldSpec.activeDeadlineSeconds;
  if (value !== undefined && value !== null) {
    if (value < 0 || value > MAX_INT32) return [invalid(path, value, inclusiveRangeError(0, MAX_INT32))];
    if (old !== undefined && old !== null && old < value)
      return [invalid(path, value, 'must be less than or equal to previous value')];
    return [];
  }
  if (old !== undefined && old !== null)
    return [invalid(path, null, 'must not update from a positive integer to nil value')];
  return [];
}

/** Existing tolerations stay; only their tolerationSeconds may shrink. */
function validateOnlyAddedTolerations(spec: PodSpec, oldSpec: PodSpec, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  for (const old of oldSpec.tolerations ?? []) {
    const kept = (spec.tolerations ?? []).some((t) => {
      const { tolerationSeconds, ...rest } = t;
      const { tolerationSeconds: oldSeconds, ...oldRest } = old;
      if (!semanticEqual(rest, oldRest)) return false;
      if (oldSeconds === undefined || oldSeconds === null)
        return tolerationSeconds === undefined || tolerationSeconds === null;
      return tolerationSeconds !== undefined && tolerationSeconds !== null && tolerationSeconds <= oldSeconds;
    });
    if (!kept) {
      errs.push(forbidden(path, 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  return errs;
}

export function validatePodUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const spec: PodSpec = (object as Pod).spec ?? { containers: [] };
  const oldSpec: PodSpec = (old as Pod).spec ?? { containers: [] };
  const path = FieldPath.root('spec');
  const errs: ErrorList = [];
  errs.push(...validateContainerCount(spec.containers, oldSpec.containers, path.child('containers')));
  errs.push(...validateContainerCount(spec.initContainers, oldSpec.initContainers, path.child('initContainers')));
  if (errs.length > 0) return errs;
  errs.push(...validateActiveDeadlineUpdate(spec, oldSpec, path.child('activeDeadlineSeconds')));
  errs.push(...validateOnlyAddedTolerations(spec, oldSpec, path.child('tolerations')));
  if (semanticEqual(spec, oldSpec)) return errs;

  // Put back what may change, then anything still different is a forbidden change.
  const munged = deepCopy(spec);
  munged.containers.forEach((c, i) => {
    c.image = oldSpec.containers[i]?.image ?? c.image;
  });
  (munged.initContainers ?? []).forEach((c, i) => {
    c.image = oldSpec.initContainers?.[i]?.image ?? c.image;
  });
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1)
    munged.terminationGracePeriodSeconds = oldGrace;
  if (!semanticEqual(munged, oldSpec)) {
    const changed = Object.keys({ ...munged, ...oldSpec })
      .filter(
        (key) => !semanticEqual((munged as Record<string, unknown>)[key], (oldSpec as Record<string, unknown>)[key]),
      )
      .sort();
    errs.push(forbidden(path, `${SPEC_UPDATE_MESSAGE}\n  changed: ${changed.map((k) => `spec.${k}`).join(', ')}`));
  }
  return errs;
}
