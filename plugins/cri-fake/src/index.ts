/**
 * @tkube/cri-fake: an in-memory CRI runtime, as a library (the binary is main.ts).
 * `startFakeRuntime({ listen })` serves it on a unix socket in-process.
 */

export type { ContainerBehaviour } from './behaviour.js';
export { behaviourOf, EXEC_EXIT_CODE_ENV, EXIT_AFTER_MS_ENV, EXIT_CODE_ENV } from './behaviour.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export { CRI_API_VERSION, RUNTIME_NAME, serveCri } from './cri-server.js';
export type { FakeRuntimeOptions } from './fake-runtime.js';
export { FakeRuntime, KILLED_EXIT_CODE } from './fake-runtime.js';
export type { CriFakeFlags } from './flags.js';
export { DEFAULT_FLAGS, parseFlags } from './flags.js';
export type { FakeImage } from './image-store.js';
export { ImageStore, MISSING_IMAGE_MARKER } from './image-store.js';
export { DEFAULT_POD_CIDR, IpPool } from './ip-pool.js';
export type { FakeRuntimeServerOptions, RunningFakeRuntime } from './start.js';
export { DEFAULT_IMAGES, startFakeRuntime } from './start.js';
/** A Clock moved by hand, for tests that script exits without sleeping. */
export { ManualClock } from './testing/manual-clock.js';
