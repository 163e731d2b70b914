/** ReplicaSets: the default, except that a status write carries annotations (as in kube). */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { takingAnnotationsOnStatus } from './status-annotations.js';

export function replicaSetStrategy(info: ResourceInfo): ResourceStrategy {
  return takingAnnotationsOnStatus(defaultStrategy(info));
}
