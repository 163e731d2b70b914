/**
 * The tkube programs `up` starts, as built by `npm run build` into each package's dist/.
 * "Checking prerequisites" makes sure they exist before anything starts.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './repo-root.js';

export const APISERVER_MAIN = join(REPO_ROOT, 'services', 'apiserver', 'dist', 'main.js');
export const KUBELET_MAIN = join(REPO_ROOT, 'services', 'kubelet', 'dist', 'main.js');
export const CRI_DOCKER_MAIN = join(REPO_ROOT, 'plugins', 'cri-docker', 'dist', 'main.js');
export const CRI_FAKE_MAIN = join(REPO_ROOT, 'plugins', 'cri-fake', 'dist', 'main.js');
export const CNI_BRIDGE_MAIN = join(REPO_ROOT, 'plugins', 'cni-bridge', 'dist', 'main.js');
export const SCHEDULER_MAIN = join(REPO_ROOT, 'services', 'scheduler', 'dist', 'main.js');
export const CONTROLLER_MANAGER_MAIN = join(REPO_ROOT, 'services', 'controllers', 'dist', 'main.js');
export const PROXY_MAIN = join(REPO_ROOT, 'services', 'proxy', 'dist', 'main.js');
export const DNS_MAIN = join(REPO_ROOT, 'services', 'dns', 'dist', 'main.js');
