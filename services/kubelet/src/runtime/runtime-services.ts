/**
 * What the kubelet uses of its plugins: the CRI runtime and image services (the promise
 * clients of `@tkube/api/cri`) and the network plugin (`@tkube/api/cni`). Narrowed to the
 * calls the kubelet makes, so a test fakes only those.
 */

import type { CniClient } from '@tkube/api/cni';
import type { ImageApi, RuntimeApi } from '@tkube/api/cri';

export type RuntimeService = Pick<
  RuntimeApi,
  | 'version'
  | 'status'
  | 'runPodSandbox'
  | 'stopPodSandbox'
  | 'removePodSandbox'
  | 'podSandboxStatus'
  | 'listPodSandbox'
  | 'createContainer'
  | 'startContainer'
  | 'stopContainer'
  | 'removeContainer'
  | 'listContainers'
  | 'containerStatus'
  | 'execSync'
  | 'exec'
  | 'attach'
>;

export type ImageService = Pick<ImageApi, 'imageStatus' | 'pullImage'>;

export type NetworkPlugin = Pick<CniClient, 'add' | 'del' | 'status'>;
