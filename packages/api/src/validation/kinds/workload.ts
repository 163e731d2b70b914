/**
 * What the apps controllers share: a required, non-empty selector that matches the pod
 * template's labels, and a template whose pods restart Always (the controller replaces
 * them; it cannot wait for them to finish).
 */
import { labelSelectorToSelector, type Selector, validateLabelSelector } from '../../label-selector.js';
import type { LabelSelector, PodTemplateSpec } from '../../types.js';
import { type ErrorList, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { validatePodTemplateSpec } from '../pod/pod-spec.js';

/** Validates spec.selector; returns the selector when it can be evaluated. */
export function validateSelector(
  selector: LabelSelector | undefined,
  path: FieldPath,
  emptyMessage?: string,
): { errs: ErrorList; selector?: Selector } {
  const errs: ErrorList = [];
  if (!selector) {
    errs.push(required(path));
  } else {
    errs.push(...validateLabelSelector(selector, path.toString()));
    const size = Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions ?? []).length;
    if (size === 0 && emptyMessage) errs.push(invalid(path, selector, emptyMessage));
  }
  try {
    return { errs, selector: labelSelectorToSelector(selector) };
  } catch {
    errs.push(invalid(path, selector, 'invalid label selector'));
    return { errs };
  }
}

/** The template's labels must be selected, or the controller would never see its own pods. */
export function validateSelectorMatchesTemplate(
  selector: Selector | undefined,
  template: PodTemplateSpec | undefined,
  templatePath: FieldPath,
): ErrorList {
  if (!selector || !template || selector.empty()) return [];
  const labels = template.metadata?.labels ?? {};
  if (selector.matches(labels)) return [];
  return [invalid(templatePath.child('metadata', 'labels'), labels, '`selector` does not match template `labels`')];
}

/** ValidatePodTemplateSpecForReplicaSet and its StatefulSet and DaemonSet twins. */
function validateControllerTemplate(
  template: PodTemplateSpec | undefined,
  selector: Selector | undefined,
  path: FieldPath,
  controllerKind: string,
  claimVolumes: readonly string[] = [],
): ErrorList {
  const t: PodTemplateSpec = template ?? {};
  const errs = validateSelectorMatchesTemplate(selector, t, path);
  errs.push(...validatePodTemplateSpec(t, path, claimVolumes));
  const restartPolicy = t.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') {
    errs.push(notSupported(path.child('spec', 'restartPolicy'), restartPolicy, ['Always']));
  }
  if (t.spec?.activeDeadlineSeconds !== undefined && t.spec.activeDeadlineSeconds !== null) {
    errs.push(
      forbidden(
        path.child('spec', 'activeDeadlineSeconds'),
        `activeDeadlineSeconds in ${controllerKind} is not Supported`,
      ),
    );
  }
  return errs;
}

/** How one apps controller words the checks of its selector and template. */
export interface ControllerTemplateRules {
  /** The Invalid detail for an empty selector (Kubernetes says "deployment" for ReplicaSets too). */
  emptySelectorMessage: string;
  /** The kind named in "activeDeadlineSeconds in <kind> is not Supported" (a Deployment's is ReplicaSet). */
  controllerKind: string;
  /** Names of volume claim templates the pod's mounts may refer to (StatefulSets). */
  claimVolumes?: readonly string[];
}

/**
 * spec.selector, then spec.template against it, as every apps controller checks them. A
 * selector that cannot be evaluated leaves the template unchecked, as in Kubernetes.
 */
export function validateSelectorAndTemplate(
  spec: { selector?: LabelSelector; template?: PodTemplateSpec },
  path: FieldPath,
  rules: ControllerTemplateRules,
): ErrorList {
  const selector = validateSelector(spec.selector, path.child('selector'), rules.emptySelectorMessage);
  if (!selector.selector) return selector.errs;
  return [
    ...selector.errs,
    ...validateControllerTemplate(
      spec.template,
      selector.selector,
      path.child('template'),
      rules.controllerKind,
      rules.claimVolumes,
    ),
  ];
}
