/** discovery.k8s.io/v1 EndpointSlice and autoscaling/v2 HorizontalPodAutoscaler defaults. */
import type { EndpointSlice, HorizontalPodAutoscaler } from '../types.js';

type ScalingRules = NonNullable<NonNullable<NonNullable<HorizontalPodAutoscaler['spec']>['behavior']>['scaleUp']>;

const DEFAULT_CPU_UTILIZATION = 80;

export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

/** Fills the fields a user left out of a scaling rule from the rule Kubernetes would use. */
function withDefaults(rules: ScalingRules | undefined, defaults: ScalingRules): ScalingRules {
  if (!rules) return defaults;
  return {
    ...defaults,
    ...Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined && v !== null)),
  };
}

export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = hpa.spec;
  if (!spec) return;
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } },
      },
    ];
  }
  // Behavior is only completed when the user wrote one; otherwise the controller's defaults apply.
  if (spec.behavior) {
    spec.behavior.scaleUp = withDefaults(spec.behavior.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
    spec.behavior.scaleDown = withDefaults(spec.behavior.scaleDown, {
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
  }
}
