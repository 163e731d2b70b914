/**
 * The numbers of a rolling update, as kube's deployment util computes them: maxSurge and
 * maxUnavailable as counts or percentages of spec.replicas (surge rounds up, unavailable
 * rounds down, and both zero would deadlock so unavailable becomes 1).
 */
import type { Deployment, ReplicaSet } from '@tkube/api';
import { StatusError } from '@tkube/api';
import { replicasOf, specReplicas } from './replica-set-counts.js';

/** The API defaults (apps/v1) for a RollingUpdate strategy that leaves them out. */
export const DEFAULT_MAX_SURGE = '25%';
export const DEFAULT_MAX_UNAVAILABLE = '25%';

export type IntOrPercent = number | string;

/** intstr.GetScaledValueFromIntOrPercent: a count as is, "N%" of total rounded as asked. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw StatusError.badRequest(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const scaled = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** ResolveFenceposts: the absolute surge and unavailability allowed for `desired` replicas. */
export function resolveFenceposts(
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function isRollingUpdate(deployment: Deployment): boolean {
  return (deployment.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(deployment: Deployment): { surge: number; unavailable: number } {
  const rolling = deployment.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(
    (rolling?.maxSurge as IntOrPercent | undefined) ?? DEFAULT_MAX_SURGE,
    (rolling?.maxUnavailable as IntOrPercent | undefined) ?? DEFAULT_MAX_UNAVAILABLE,
    specReplicas(deployment),
  );
}

/** How many pods above spec.replicas a rollout may run (0 for Recreate). */
export function maxSurge(deployment: Deployment): number {
  return isRollingUpdate(deployment) ? fenceposts(deployment).surge : 0;
}

/** How many of spec.replicas may be unavailable during a rollout, never more than spec.replicas. */
export function maxUnavailable(deployment: Deployment): number {
  const desired = specReplicas(deployment);
  if (!isRollingUpdate(deployment) || desired === 0) return 0;
  return Math.min(fenceposts(deployment).unavailable, desired);
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now without passing the surge. */
export function newReplicaSetReplicas(deployment: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const desired = specReplicas(deployment);
  if (!isRollingUpdate(deployment)) return desired;
  const current = replicasOf(allRSs);
  const maxTotal = desired + maxSurge(deployment);
  const newReplicas = specReplicas(newRS);
  if (current >= maxTotal) return newReplicas;
  return newReplicas + Math.min(maxTotal - current, desired - newReplicas);
}
