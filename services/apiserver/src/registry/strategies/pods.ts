/**
 * Pods: status starts as Pending with its QoS class; deletion is graceful once the pod is
 * bound to a node (the kubelet must stop the containers and then deletes with grace 0).
 */
import type { KubeObject, ResourceInfo } from '@tkube/api';
import { objectField } from '../object-meta.js';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';

/** Kubernetes' default spec.terminationGracePeriodSeconds. */
const DEFAULT_GRACE_PERIOD_SECONDS = 30;

export function podStrategy(info: ResourceInfo): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    prepareForCreate(object) {
      base.prepareForCreate(object);
      object.status = { phase: 'Pending', qosClass: qosClassOf(object) };
    },
    graceful: {
      gracePeriodSeconds(object, requested) {
        const spec = objectField(object, 'spec') ?? {};
        const status = objectField(object, 'status') ?? {};
        let period =
          requested ??
          (typeof spec.terminationGracePeriodSeconds === 'number'
            ? spec.terminationGracePeriodSeconds
            : DEFAULT_GRACE_PERIOD_SECONDS);
        // Nothing runs a pod that was never scheduled, or one that already finished.
        if (typeof spec.nodeName !== 'string' || spec.nodeName === '') period = 0;
        if (status.phase === 'Succeeded' || status.phase === 'Failed') period = 0;
        return period < 0 ? 1 : period;
      },
    },
  };
}

type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
const QOS_RESOURCES = ['cpu', 'memory'];

/**
 * kube's GetPodQOS, simplified: BestEffort without any cpu/memory request or limit;
 * Guaranteed when every container limits cpu and memory and requests exactly its limits
 * (quantities compared as written); Burstable otherwise.
 */
export function qosClassOf(pod: KubeObject): QosClass {
  const spec = objectField(pod, 'spec') ?? {};
  const containers = [...listOf(spec.initContainers), ...listOf(spec.containers)];
  let anySet = false;
  let guaranteed = containers.length > 0;
  for (const container of containers) {
    const resources = recordOf(recordOf(container).resources);
    const requests = recordOf(resources.requests);
    const limits = recordOf(resources.limits);
    for (const name of QOS_RESOURCES) {
      const limit = limits[name];
      const request = requests[name] ?? limit;
      if (limit !== undefined || request !== undefined) anySet = true;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!anySet) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function recordOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
