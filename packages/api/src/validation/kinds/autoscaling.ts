/** autoscaling/v2 HorizontalPodAutoscaler (ValidateHorizontalPodAutoscalerSpec, in part). */
import type { HorizontalPodAutoscaler, KubeObject } from '../../types.js';
import { type ErrorList, invalid, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { pathSegmentNameErrors } from '../names.js';

type MetricSpec = NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['metrics']>[number];

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

function validateMetric(metric: MetricSpec, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (!metric.type) return [required(path.child('type'), 'must specify a metric source type')];
  if (!METRIC_TYPES.includes(metric.type)) return [notSupported(path.child('type'), metric.type, METRIC_TYPES)];
  if (metric.type === 'Resource') {
    const resource = metric.resource;
    const at = path.child('resource');
    if (!resource) return [required(at, 'must populate information for the given metric source')];
    if (!resource.name) errs.push(required(at.child('name'), 'must specify a resource name'));
    const target = resource.target;
    if (!target?.type) errs.push(required(at.child('target', 'type'), 'must specify a metric target type'));
    else if (!TARGET_TYPES.includes(target.type))
      errs.push(notSupported(at.child('target', 'type'), target.type, TARGET_TYPES));
    else if (target.type === 'Utilization' && (target.averageUtilization ?? 0) <= 0) {
      errs.push(
        invalid(at.child('target', 'averageUtilization'), target.averageUtilization ?? 0, 'must be greater than 0'),
      );
    }
  }
  return errs;
}

export function validateHorizontalPodAutoscaler(object: KubeObject): ErrorList {
  const spec = (object as HorizontalPodAutoscaler).spec;
  const path = FieldPath.root('spec');
  if (!spec) return [required(path)];
  const errs: ErrorList = [];
  const min = spec.minReplicas;
  if (min !== undefined && min !== null && min < 1)
    errs.push(invalid(path.child('minReplicas'), min, 'must be greater than or equal to 1'));
  if ((spec.maxReplicas ?? 0) < 1)
    errs.push(invalid(path.child('maxReplicas'), spec.maxReplicas ?? 0, 'must be greater than 0'));
  if (min !== undefined && min !== null && (spec.maxReplicas ?? 0) < min) {
    errs.push(
      invalid(path.child('maxReplicas'), spec.maxReplicas ?? 0, 'must be greater than or equal to `minReplicas`'),
    );
  }
  const ref = spec.scaleTargetRef;
  const refPath = path.child('scaleTargetRef');
  if (!ref?.kind) errs.push(required(refPath.child('kind')));
  else
    for (const msg of pathSegmentNameErrors(ref.kind, false)) errs.push(invalid(refPath.child('kind'), ref.kind, msg));
  if (!ref?.name) errs.push(required(refPath.child('name')));
  else
    for (const msg of pathSegmentNameErrors(ref.name, false)) errs.push(invalid(refPath.child('name'), ref.name, msg));
  (spec.metrics ?? []).forEach((metric, i) => {
    errs.push(...validateMetric(metric, path.child('metrics').index(i)));
  });
  return errs;
}
