/**
 * Which container of a pod a log, exec or attach request means, with kube-apiserver's
 * exact answers (pkg/registry/core/pod/strategy.go, validateContainer): the only container
 * when the pod has one, else the named one, which may be an init or ephemeral container.
 */
import { type Pod, StatusError } from '@tkube/api';

/** Every container's name in kube's visiting order: init, then app, then ephemeral containers. */
export function containerNames(pod: Pod): string[] {
  const spec = pod.spec;
  return [
    ...(spec?.initContainers ?? []).map((c) => c.name),
    ...(spec?.containers ?? []).map((c) => c.name),
    ...(spec?.ephemeralContainers ?? []).map((c) => c.name),
  ];
}

export function chooseContainer(pod: Pod, requested: string | undefined): string {
  const podName = pod.metadata?.name ?? '';
  if (requested !== undefined && requested !== '') {
    if (!containerNames(pod).includes(requested)) {
      throw StatusError.badRequest(`container ${requested} is not valid for pod ${podName}`);
    }
    return requested;
  }
  const containers = pod.spec?.containers ?? [];
  if (containers.length === 1) return containers[0].name;
  if (containers.length === 0) throw StatusError.badRequest(`a container name must be specified for pod ${podName}`);
  // Go prints a []string as [a b c].
  throw StatusError.badRequest(
    `a container name must be specified for pod ${podName}, choose one of: [${containerNames(pod).join(' ')}]`,
  );
}

/** The node whose kubelet runs the pod; exec and attach need one (logs of an unbound pod are empty). */
export function assignedNode(pod: Pod): string {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw StatusError.badRequest(`pod ${pod.metadata?.name ?? ''} does not have a host assigned`);
  return nodeName;
}
