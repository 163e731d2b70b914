/** The ReplicaSet controller. */

import type { RunningController } from '../framework/types.js';
import type { ReplicaSetControllerConfig } from './replicaset-controller.js';
import { ReplicaSetController } from './replicaset-controller.js';

export type { ReplicaSetControllerConfig } from './replicaset-controller.js';
export { ownerReferenceTo, podFromTemplate, ReplicaSetController } from './replicaset-controller.js';

export function startReplicaSetController(config: ReplicaSetControllerConfig): RunningController {
  return new ReplicaSetController(config).run();
}
