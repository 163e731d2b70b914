/** The controller framework: shared informers, the worker loop, keys and expectations. */

export type { ControllerLoopOptions } from './controller.js';
export { runController } from './controller.js';
export { ControllerExpectations, EXPECTATIONS_TTL_MS } from './expectations.js';
export { keyOf, splitKey } from './keys.js';
export type { SharedInformersOptions } from './shared-informers.js';
export { SharedInformers } from './shared-informers.js';
export { FakeClient } from './testing/fake-client.js';
export { silentLogger } from './testing/silent-logger.js';
export type { ControllerClient, Logger, RunningController } from './types.js';
