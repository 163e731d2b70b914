/**
 * Deployments: an annotation change bumps generation too, because the deployment
 * controller copies annotations onto its ReplicaSets and must notice the change
 * (kube's deployment strategy does the same). Labels never do.
 */
import type { ResourceInfo } from '@tkube/api';
import { jsonEqual } from '../object-meta.js';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';

export function deploymentStrategy(info: ResourceInfo): ResourceStrategy {
  const base = defaultStrategy(info);
  return {
    ...base,
    desiredStateChanged(object, old) {
      return (
        base.desiredStateChanged(object, old) ||
        !jsonEqual(object.metadata?.annotations ?? {}, old.metadata?.annotations ?? {})
      );
    },
  };
}
