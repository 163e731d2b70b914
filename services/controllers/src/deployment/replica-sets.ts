/**
 * Which of a Deployment's ReplicaSets is the new one (its template equals the Deployment's,
 * ignoring the pod-template-hash label) and which are old; the orderings kube sorts them by.
 */
import type { Deployment, PodTemplateSpec, ReplicaSet } from '@tkube/api';
import { DESIRED_REPLICAS_ANNOTATION, intAnnotation, revisionOf } from './annotations.js';
import { canonicalJson, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { specReplicas } from './replica-set-counts.js';

/**
 * EqualIgnoreHash: templates equal once the hash label is dropped. Like kube's semantic
 * equality, an empty map or list equals an absent one.
 */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

function withoutHash(template: PodTemplateSpec | undefined): unknown {
  const copy = structuredClone(template ?? {});
  if (copy.metadata?.labels) delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  return dropEmpty(copy);
}

function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    const cleaned = dropEmpty(member);
    if (cleaned === undefined || cleaned === null) continue;
    if (Array.isArray(cleaned) && cleaned.length === 0) continue;
    if (typeof cleaned === 'object' && !Array.isArray(cleaned) && Object.keys(cleaned).length === 0) continue;
    out[key] = cleaned;
  }
  return out;
}

function creationTime(rs: ReplicaSet): number {
  const stamp = rs.metadata?.creationTimestamp;
  return stamp ? Date.parse(stamp) : 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, ties by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  return creationTime(a) - creationTime(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** ReplicaSetsBySizeNewer: largest first, ties newest first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** ReplicaSetsBySizeOlder: largest first, ties oldest first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}

/** ReplicaSetsByRevision: lowest revision first, ties by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  return revisionOf(a) - revisionOf(b) || byCreation(a, b);
}

/** The oldest ReplicaSet whose template is the Deployment's (several can match after a hash change). */
export function findNewReplicaSet(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, deployment.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(deployment: Deployment, replicaSets: ReplicaSet[]): ReplicaSet[] {
  const newRS = findNewReplicaSet(deployment, replicaSets);
  return replicaSets.filter((rs) => rs !== newRS);
}

/** ReplicaSets asked to run at least one pod. */
export function activeReplicaSets(replicaSets: (ReplicaSet | undefined)[]): ReplicaSet[] {
  return replicaSets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

/**
 * FindActiveOrLatest: the one active ReplicaSet, or the newest when none is active;
 * undefined when several are active (a rollout is under way).
 */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 1) return active[0];
  if (active.length === 0) return newRS ?? newestFirst[0];
  return undefined;
}

/** IsSaturated: the new ReplicaSet runs, and was sized for, all of spec.replicas, all available. */
export function isSaturated(deployment: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = specReplicas(deployment);
  return (
    specReplicas(rs) === desired &&
    intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION) === desired &&
    (rs.status?.availableReplicas ?? 0) === desired
  );
}
