/**
 * Docker container names, as dockershim spelled them: readable in `docker ps`, and unique
 * per (pod, container, attempt) so a repeated create of the same attempt conflicts.
 */

import type { ContainerMetadata, PodSandboxMetadata } from '@tkube/api/cri';

const PREFIX = 'k8s';

export function sandboxName(pod: PodSandboxMetadata): string {
  return [PREFIX, 'POD', pod.name, pod.namespace, pod.uid, pod.attempt].join('_');
}

export function containerName(container: ContainerMetadata, pod: PodSandboxMetadata | undefined): string {
  const owner = pod ? [pod.name, pod.namespace, pod.uid] : ['unknown'];
  return [PREFIX, container.name, ...owner, container.attempt].join('_');
}
