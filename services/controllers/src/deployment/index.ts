/** The Deployment controller. */

import type { RunningController } from '../framework/types.js';
import type { DeploymentControllerConfig } from './deployment-controller.js';
import { DeploymentController } from './deployment-controller.js';

export type { DeploymentControllerConfig } from './deployment-controller.js';
export { DeploymentController } from './deployment-controller.js';
export { computeHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';

export function startDeploymentController(config: DeploymentControllerConfig): RunningController {
  return new DeploymentController(config).run();
}
