/** The strategy of each kind: the default unless a file here says otherwise. */
import type { ResourceInfo } from '@tkube/api';
import { defaultStrategy, type ResourceStrategy } from '../strategy.js';
import { deploymentStrategy } from './deployments.js';
import { namespaceStrategy } from './namespaces.js';
import { nodeStrategy } from './nodes.js';
import { pendingPhaseStrategy } from './persistent-volumes.js';
import { podStrategy } from './pods.js';
import { replicaSetStrategy } from './replica-sets.js';
import type { ServiceRanges } from './service-ranges.js';
import { serviceStrategy } from './services.js';

/** What a cluster is configured with that some strategies need (kube-apiserver's flags). */
export interface StrategySettings {
  serviceRanges?: ServiceRanges;
}

const BY_KIND: Record<string, (info: ResourceInfo, settings: StrategySettings) => ResourceStrategy> = {
  Pod: podStrategy,
  Namespace: namespaceStrategy,
  Node: nodeStrategy,
  Service: (info, settings) => serviceStrategy(info, settings.serviceRanges),
  Deployment: deploymentStrategy,
  ReplicaSet: replicaSetStrategy,
  PersistentVolume: pendingPhaseStrategy,
  PersistentVolumeClaim: pendingPhaseStrategy,
};

export function strategyFor(info: ResourceInfo, settings: StrategySettings = {}): ResourceStrategy {
  const make = BY_KIND[info.kind];
  return make ? make(info, settings) : defaultStrategy(info);
}
