/**
 * Deployments: an annotation change bumps generation too, because the deployment
 * controller copies annotations onto its ReplicaSets and must notice the change
 * (kube's deployment strategy does the same). Labels never do. A status write carries
 * annotations, as kube's deployment status strategy lets it.
 */
import type { ResourceInfo } from '@tkube/api';
import { jsonEqual } from '../object-meta.js';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { takingAnnotationsOnStatus } from './status-annotations.js';

export function deploymentStrategy(info: ResourceInfo): ResourceStrategy {
  const base = defaultStrategy(info);
  return takingAnnotationsOnStatus({
    ...base,
    desiredStateChanged(object, old) {
      return (
        base.desiredStateChanged(object, old) ||
        !jsonEqual(object.metadata?.annotations ?? {}, old.metadata?.annotations ?? {})
      );
    },
  });
}
