/**
 * The annotations kubectl reads: `deployment.kubernetes.io/revision` numbers each
 * ReplicaSet (`kubectl rollout history` lists them, `rollout undo` picks one), and
 * `revision-history` keeps the earlier numbers of a ReplicaSet that a rollback reused.
 * desired-replicas and max-replicas remember the Deployment's size when the ReplicaSet was
 * last scaled, which proportional scaling needs.
 */
import type { Deployment, ReplicaSet } from '@tkube/api';
import { specReplicas } from './replica-set-counts.js';
import { maxSurge } from './rolling-math.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_CONFIG_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** Kube's default cap on the revision-history annotation's length. */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations that are not copied onto its ReplicaSets (nor back by kubectl). */
const SKIPPED_ANNOTATIONS = new Set([
  LAST_APPLIED_CONFIG_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** The revision number of an object; 0 when absent or not a number. */
export function revisionOf(object: Deployment | ReplicaSet | undefined): number {
  const text = object?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return 0;
  return Number(text);
}

export function maxRevision(replicaSets: ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Copies the Deployment's own annotations (e.g. kubernetes.io/change-cause) onto the ReplicaSet. */
function copyDeploymentAnnotations(deployment: Deployment, rs: ReplicaSet): boolean {
  const target = annotationsOf(rs);
  let changed = false;
  for (const [key, value] of Object.entries(deployment.metadata?.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(key) || target[key] === value) continue;
    target[key] = value;
    changed = true;
  }
  return changed;
}

/**
 * SetNewReplicaSetAnnotations: stamps the new ReplicaSet with the Deployment's annotations
 * and `newRevision`. A ReplicaSet that already had an older revision is being rolled back
 * to, so its old number moves into revision-history. Answers whether anything changed.
 */
export function setNewReplicaSetAnnotations(
  deployment: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  historyLimitChars = MAX_REVISION_HISTORY_CHARS,
): boolean {
  let changed = copyDeploymentAnnotations(deployment, rs);
  const annotations = annotationsOf(rs);
  const oldRevisionText = annotations[REVISION_ANNOTATION];
  if (oldRevisionText !== undefined && oldRevisionText !== '' && !/^\d+$/.test(oldRevisionText)) return false;
  const oldRevision = oldRevisionText ? Number(oldRevisionText) : 0;
  if (oldRevision < newRevision) {
    annotations[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
  }
  if (
    !exists &&
    setReplicasAnnotations(rs, specReplicas(deployment), specReplicas(deployment) + maxSurge(deployment))
  ) {
    changed = true;
  }
  if (oldRevisionText !== undefined && oldRevision < newRevision) {
    const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
    if (history === '') {
      annotations[REVISION_HISTORY_ANNOTATION] = oldRevisionText;
    } else {
      // Drop the oldest entries until the list, with the new one, fits the cap.
      const entries = history.split(',');
      let length = history.length + oldRevisionText.length + 1;
      let start = 0;
      while (length > historyLimitChars && start < entries.length) {
        length -= (entries[start]?.length ?? 0) + 1;
        start++;
      }
      if (length <= historyLimitChars) {
        annotations[REVISION_HISTORY_ANNOTATION] = [...entries.slice(start), oldRevisionText].join(',');
      }
    }
  }
  return changed;
}

/** Sets the Deployment's own revision annotation; answers whether it changed. */
export function setDeploymentRevision(deployment: Deployment, revision: string | undefined): boolean {
  if (revision === undefined) return false;
  const annotations = annotationsOf(deployment);
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = rs.metadata?.annotations ?? {};
  return (
    annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || annotations[MAX_REPLICAS_ANNOTATION] !== String(max)
  );
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const annotations = annotationsOf(rs);
  annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  annotations[MAX_REPLICAS_ANNOTATION] = String(max);
  return true;
}

/** A numeric annotation, or undefined when absent or malformed. */
export function intAnnotation(rs: ReplicaSet | undefined, key: string): number | undefined {
  const text = rs?.metadata?.annotations?.[key];
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}

function annotationsOf(object: Deployment | ReplicaSet): Record<string, string> {
  object.metadata ??= {};
  object.metadata.annotations ??= {};
  return object.metadata.annotations;
}
