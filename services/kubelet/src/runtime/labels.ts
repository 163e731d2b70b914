/**
 * The labels and annotations the kubelet puts on sandboxes and containers, kube's keys
 * (pkg/kubelet/kuberuntime/labels.go): labels map runtime objects back to their pod and
 * container, annotations carry what the kubelet needs after a restart (the spec hash,
 * the restart count, the grace period, the PreStop hook).
 */
import type { Container, Pod } from '@tkube/api';
import { KUBERNETES_CONTAINER_LABELS, KUBERNETES_POD_LABELS } from '@tkube/api/cri';

export const POD_NAME_LABEL = KUBERNETES_POD_LABELS.name;
export const POD_NAMESPACE_LABEL = KUBERNETES_POD_LABELS.namespace;
export const POD_UID_LABEL = KUBERNETES_POD_LABELS.uid;
export const CONTAINER_NAME_LABEL = KUBERNETES_CONTAINER_LABELS.name;
/** kube's types.KubernetesContainerNameLabel value for the sandbox ("POD"). */
export const SANDBOX_CONTAINER_NAME = 'POD';
export const CONTAINER_TYPE_LABEL = 'io.kubernetes.container.type';

export const CONTAINER_HASH_ANNOTATION = 'io.kubernetes.container.hash';
export const RESTART_COUNT_ANNOTATION = 'io.kubernetes.container.restartCount';
export const TERMINATION_GRACE_ANNOTATION = 'io.kubernetes.pod.terminationGracePeriod';
export const PRE_STOP_ANNOTATION = 'io.kubernetes.container.preStopHandler';
export const TERMINATION_MESSAGE_PATH_ANNOTATION = 'io.kubernetes.container.terminationMessagePath';

export type ContainerType = 'init' | 'app';

export function podLabels(pod: Pod): Record<string, string> {
  const meta = pod.metadata ?? {};
  return {
    [POD_NAME_LABEL]: meta.name ?? '',
    [POD_NAMESPACE_LABEL]: meta.namespace ?? 'default',
    [POD_UID_LABEL]: meta.uid ?? '',
  };
}

export function sandboxLabels(pod: Pod): Record<string, string> {
  return { ...(pod.metadata?.labels ?? {}), ...podLabels(pod), [CONTAINER_NAME_LABEL]: SANDBOX_CONTAINER_NAME };
}

export function containerLabels(pod: Pod, container: Container, type: ContainerType): Record<string, string> {
  return { ...podLabels(pod), [CONTAINER_NAME_LABEL]: container.name, [CONTAINER_TYPE_LABEL]: type };
}

export function containerAnnotations(
  pod: Pod,
  container: Container,
  hash: string,
  restartCount: number,
): Record<string, string> {
  const annotations: Record<string, string> = {
    [CONTAINER_HASH_ANNOTATION]: hash,
    [RESTART_COUNT_ANNOTATION]: String(restartCount),
    [TERMINATION_GRACE_ANNOTATION]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
    [TERMINATION_MESSAGE_PATH_ANNOTATION]: container.terminationMessagePath ?? '/dev/termination-log',
  };
  if (container.lifecycle?.preStop) annotations[PRE_STOP_ANNOTATION] = JSON.stringify(container.lifecycle.preStop);
  return annotations;
}
