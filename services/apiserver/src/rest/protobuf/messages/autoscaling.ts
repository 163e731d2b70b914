/**
 * k8s.io/api/autoscaling messages: the v2 HorizontalPodAutoscaler that `kubectl autoscale`
 * 1.35 sends, and the v1 Scale of the scale subresource.
 */
import {
  int32,
  int64,
  keepZero,
  type MessageTable,
  message,
  messages,
  quantity,
  string,
  time,
} from '../message-spec.js';
import { autoscalingV1, autoscalingV2, meta } from './names.js';

const v2 = autoscalingV2;

const metricSource = (): MessageTable[string] => ({
  1: message('metric', v2('MetricIdentifier')),
  2: message('target', v2('MetricTarget')),
});

const metricStatus = (): MessageTable[string] => ({
  1: message('metric', v2('MetricIdentifier')),
  2: message('current', v2('MetricValueStatus')),
});

const scalingRules = (): MessageTable[string] => ({
  3: int32('stabilizationWindowSeconds', keepZero),
  1: string('selectPolicy', keepZero),
  2: messages('policies', v2('HPAScalingPolicy')),
  4: quantity('tolerance', keepZero),
});

export const AUTOSCALING_MESSAGES: MessageTable = {
  [v2('HorizontalPodAutoscaler')]: {
    1: message('metadata', meta('ObjectMeta')),
    2: message('spec', v2('HorizontalPodAutoscalerSpec')),
    3: message('status', v2('HorizontalPodAutoscalerStatus')),
  },
  [v2('HorizontalPodAutoscalerSpec')]: {
    1: message('scaleTargetRef', v2('CrossVersionObjectReference')),
    2: int32('minReplicas', keepZero),
    3: int32('maxReplicas', keepZero),
    4: messages('metrics', v2('MetricSpec')),
    5: message('behavior', v2('HorizontalPodAutoscalerBehavior')),
  },
  [v2('CrossVersionObjectReference')]: {
    1: string('kind', keepZero),
    2: string('name', keepZero),
    3: string('apiVersion'),
  },
  [v2('HorizontalPodAutoscalerBehavior')]: {
    1: message('scaleUp', v2('HPAScalingRules')),
    2: message('scaleDown', v2('HPAScalingRules')),
  },
  [v2('HPAScalingRules')]: scalingRules(),
  [v2('HPAScalingPolicy')]: {
    1: string('type', keepZero),
    2: int32('value', keepZero),
    3: int32('periodSeconds', keepZero),
  },
  [v2('MetricSpec')]: {
    1: string('type', keepZero),
    2: message('object', v2('ObjectMetricSource')),
    3: message('pods', v2('PodsMetricSource')),
    4: message('resource', v2('ResourceMetricSource')),
    7: message('containerResource', v2('ContainerResourceMetricSource')),
    5: message('external', v2('ExternalMetricSource')),
  },
  [v2('MetricTarget')]: {
    1: string('type', keepZero),
    2: quantity('value', keepZero),
    3: quantity('averageValue', keepZero),
    4: int32('averageUtilization', keepZero),
  },
  [v2('MetricIdentifier')]: {
    1: string('name', keepZero),
    2: message('selector', meta('LabelSelector')),
  },
  [v2('ObjectMetricSource')]: {
    1: message('describedObject', v2('CrossVersionObjectReference')),
    2: message('target', v2('MetricTarget')),
    3: message('metric', v2('MetricIdentifier')),
  },
  [v2('PodsMetricSource')]: metricSource(),
  [v2('ExternalMetricSource')]: metricSource(),
  [v2('ResourceMetricSource')]: {
    1: string('name', keepZero),
    2: message('target', v2('MetricTarget')),
  },
  [v2('ContainerResourceMetricSource')]: {
    1: string('name', keepZero),
    2: message('target', v2('MetricTarget')),
    3: string('container', keepZero),
  },
  [v2('HorizontalPodAutoscalerStatus')]: {
    1: int64('observedGeneration', keepZero),
    2: time('lastScaleTime'),
    3: int32('currentReplicas'),
    4: int32('desiredReplicas', keepZero),
    5: messages('currentMetrics', v2('MetricStatus')),
    6: messages('conditions', v2('HorizontalPodAutoscalerCondition')),
  },
  [v2('HorizontalPodAutoscalerCondition')]: {
    1: string('type', keepZero),
    2: string('status', keepZero),
    3: time('lastTransitionTime'),
    4: string('reason'),
    5: string('message'),
  },
  [v2('MetricStatus')]: {
    1: string('type', keepZero),
    2: message('object', v2('ObjectMetricStatus')),
    3: message('pods', v2('PodsMetricStatus')),
    4: message('resource', v2('ResourceMetricStatus')),
    7: message('containerResource', v2('ContainerResourceMetricStatus')),
    5: message('external', v2('ExternalMetricStatus')),
  },
  [v2('MetricValueStatus')]: {
    1: quantity('value', keepZero),
    2: quantity('averageValue', keepZero),
    3: int32('averageUtilization', keepZero),
  },
  [v2('ObjectMetricStatus')]: {
    1: message('metric', v2('MetricIdentifier')),
    2: message('current', v2('MetricValueStatus')),
    3: message('describedObject', v2('CrossVersionObjectReference')),
  },
  [v2('PodsMetricStatus')]: metricStatus(),
  [v2('ExternalMetricStatus')]: metricStatus(),
  [v2('ResourceMetricStatus')]: {
    1: string('name', keepZero),
    2: message('current', v2('MetricValueStatus')),
  },
  [v2('ContainerResourceMetricStatus')]: {
    1: string('name', keepZero),
    2: message('current', v2('MetricValueStatus')),
    3: string('container', keepZero),
  },
  [autoscalingV1('Scale')]: {
    1: message('metadata', meta('ObjectMeta')),
    2: message('spec', autoscalingV1('ScaleSpec')),
    3: message('status', autoscalingV1('ScaleStatus')),
  },
  [autoscalingV1('ScaleSpec')]: { 1: int32('replicas') },
  [autoscalingV1('ScaleStatus')]: {
    1: int32('replicas', keepZero),
    2: string('selector'),
  },
};
