/** The strategy of each kind: the default unless a file here says otherwise. */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { deploymentStrategy } from './deployments.js';
import { namespaceStrategy } from './namespaces.js';
import { nodeStrategy } from './nodes.js';
import { pendingPhaseStrategy } from './persistent-volumes.js';
import { podStrategy } from './pods.js';
import { replicaSetStrategy } from './replica-sets.js';
import { serviceStrategy } from './services.js';

const BY_KIND: Record<string, (info: ResourceInfo) => ResourceStrategy> = {
  Pod: podStrategy,
  Namespace: namespaceStrategy,
  Node: nodeStrategy,
  Service: serviceStrategy,
  Deployment: deploymentStrategy,
  ReplicaSet: replicaSetStrategy,
  PersistentVolume: pendingPhaseStrategy,
  PersistentVolumeClaim: pendingPhaseStrategy,
};

export function strategyFor(info: ResourceInfo): ResourceStrategy {
  const make = BY_KIND[info.kind];
  return make ? make(info) : defaultStrategy(info);
}
