/**
 * How CRI objects map onto Docker containers and back: everything the CRI needs to answer
 * after a restart of this plugin lives in the container's labels, so the plugin keeps no
 * state of its own (a second process lists what the first created).
 *
 * Docker labels = the CRI labels + the pod identity (`io.kubernetes.pod.*`, as the
 * kubelet sets them too) + internal keys below, which are stripped when reading back.
 */

import type { ContainerMetadata, PodSandboxMetadata } from '@tkube/api/cri';
import { KUBERNETES_CONTAINER_LABELS, KUBERNETES_POD_LABELS } from '@tkube/api/cri';

/** `podsandbox` or `container`: which CRI object a Docker container is. */
export const TYPE_LABEL = 'io.kubernetes.docker.type';
export const SANDBOX_TYPE = 'podsandbox';
export const CONTAINER_TYPE = 'container';
/** On containers: the id of their sandbox. */
export const SANDBOX_ID_LABEL = 'io.kubernetes.sandbox.id';
/** On containers: the absolute CRI log path. */
export const LOG_PATH_LABEL = 'io.kubernetes.container.logpath';
/** The CRI annotations, as JSON (annotations may hold any text, labels keys may not). */
export const ANNOTATIONS_LABEL = 'io.tkube.cri.annotations';
/** The metadata attempt number. */
export const ATTEMPT_LABEL = 'io.tkube.cri.attempt';
/** Marks objects made by this plugin (the list filter). */
export const MANAGED_LABEL = 'io.tkube.cri.managed';

const INTERNAL_LABELS = new Set([
  TYPE_LABEL,
  SANDBOX_ID_LABEL,
  LOG_PATH_LABEL,
  ANNOTATIONS_LABEL,
  ATTEMPT_LABEL,
  MANAGED_LABEL,
]);

export function sandboxLabels(
  metadata: PodSandboxMetadata,
  labels: Record<string, string>,
  annotations: Record<string, string>,
): Record<string, string> {
  return {
    ...labels,
    [KUBERNETES_POD_LABELS.name]: metadata.name,
    [KUBERNETES_POD_LABELS.namespace]: metadata.namespace,
    [KUBERNETES_POD_LABELS.uid]: metadata.uid,
    [TYPE_LABEL]: SANDBOX_TYPE,
    [ATTEMPT_LABEL]: String(metadata.attempt),
    [ANNOTATIONS_LABEL]: JSON.stringify(annotations),
    [MANAGED_LABEL]: 'true',
  };
}

export interface ContainerLabelInput {
  sandboxId: string;
  pod: PodSandboxMetadata | undefined;
  metadata: ContainerMetadata;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  logPath: string;
}

export function containerLabels(input: ContainerLabelInput): Record<string, string> {
  const labels: Record<string, string> = { ...input.labels };
  if (input.pod) {
    labels[KUBERNETES_POD_LABELS.name] = input.pod.name;
    labels[KUBERNETES_POD_LABELS.namespace] = input.pod.namespace;
    labels[KUBERNETES_POD_LABELS.uid] = input.pod.uid;
  }
  labels[KUBERNETES_CONTAINER_LABELS.name] = input.metadata.name;
  labels[TYPE_LABEL] = CONTAINER_TYPE;
  labels[SANDBOX_ID_LABEL] = input.sandboxId;
  labels[ATTEMPT_LABEL] = String(input.metadata.attempt);
  labels[ANNOTATIONS_LABEL] = JSON.stringify(input.annotations);
  labels[MANAGED_LABEL] = 'true';
  if (input.logPath) labels[LOG_PATH_LABEL] = input.logPath;
  return labels;
}

/** The CRI labels of a Docker container: its labels without the internal keys. */
export function criLabelsOf(dockerLabels: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(dockerLabels)) {
    if (!INTERNAL_LABELS.has(key)) labels[key] = value;
  }
  return labels;
}

export function annotationsOf(dockerLabels: Record<string, string>): Record<string, string> {
  const raw = dockerLabels[ANNOTATIONS_LABEL];
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'string') annotations[key] = value;
    }
    return annotations;
  } catch {
    return {};
  }
}

function attemptOf(dockerLabels: Record<string, string>): number {
  const attempt = Number.parseInt(dockerLabels[ATTEMPT_LABEL] ?? '0', 10);
  return Number.isFinite(attempt) && attempt >= 0 ? attempt : 0;
}

export function sandboxMetadataOf(dockerLabels: Record<string, string>): PodSandboxMetadata {
  return {
    name: dockerLabels[KUBERNETES_POD_LABELS.name] ?? '',
    namespace: dockerLabels[KUBERNETES_POD_LABELS.namespace] ?? '',
    uid: dockerLabels[KUBERNETES_POD_LABELS.uid] ?? '',
    attempt: attemptOf(dockerLabels),
  };
}

export function containerMetadataOf(dockerLabels: Record<string, string>): ContainerMetadata {
  return { name: dockerLabels[KUBERNETES_CONTAINER_LABELS.name] ?? '', attempt: attemptOf(dockerLabels) };
}

export function isSandbox(dockerLabels: Record<string, string>): boolean {
  return dockerLabels[TYPE_LABEL] === SANDBOX_TYPE;
}

/** CRI label selectors are equality only, ANDed. */
export function matchesSelector(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
