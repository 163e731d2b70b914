/** @tkube/kubelet: the node agent, for `tkube up` and tests that run it in-process. */
export type { KubeletConfig } from './config/config.js';
export { DEFAULT_CONFIG } from './config/config.js';
export { FlagError, parseFlags, USAGE } from './config/flags.js';
export type { RunningKubelet, StartKubeletOptions } from './kubelet.js';
export { startKubelet } from './kubelet.js';
