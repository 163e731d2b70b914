/**
 * Proportional scaling (kube's GetProportion): when a Deployment is resized mid-rollout,
 * each active ReplicaSet gets a share of the change in proportion to its size, so the
 * rollout's balance is kept instead of dumping every new replica on one ReplicaSet.
 */
import type { Deployment, ReplicaSet } from '@tkube/api';
import { intAnnotation, MAX_REPLICAS_ANNOTATION } from './annotations.js';
import { specReplicas } from './replica-set-counts.js';
import { maxSurge } from './rolling-math.js';

/** How many replicas to add to (or, negative, remove from) `rs`, bounded by what is still to hand out. */
export function proportionFor(rs: ReplicaSet, deployment: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, deployment);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, deployment: Deployment): number {
  const current = specReplicas(rs);
  const desired = specReplicas(deployment);
  if (desired === 0) return -current;
  const maxNow = desired + maxSurge(deployment);
  let maxBefore = intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
  if (maxBefore === undefined || maxBefore === 0) {
    // No record of the size it was scaled for: fall back to the Deployment's current size.
    maxBefore = deployment.status?.replicas ?? 0;
    if (maxBefore === 0) return 0;
  }
  return roundHalfAwayFromZero((current * maxNow) / maxBefore) - current;
}

function roundHalfAwayFromZero(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}
