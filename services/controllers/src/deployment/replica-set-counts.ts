/** Sums over ReplicaSets, as kube's deployment util has them. */
import type { Deployment, ReplicaSet } from '@tkube/api';

/** spec.replicas with the API default of 1. */
export function specReplicas(object: Deployment | ReplicaSet | undefined): number {
  return object?.spec?.replicas ?? 1;
}

/** Sum of spec.replicas: what the ReplicaSets are asked to run. */
export function replicasOf(replicaSets: (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, (rs) => specReplicas(rs));
}

/** Sum of status.replicas: the pods that exist. */
export function actualReplicasOf(replicaSets: (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, (rs) => rs.status?.replicas ?? 0);
}

export function readyReplicasOf(replicaSets: (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, (rs) => rs.status?.readyReplicas ?? 0);
}

export function availableReplicasOf(replicaSets: (ReplicaSet | undefined)[]): number {
  return sum(replicaSets, (rs) => rs.status?.availableReplicas ?? 0);
}

function sum(replicaSets: (ReplicaSet | undefined)[], count: (rs: ReplicaSet) => number): number {
  let total = 0;
  for (const rs of replicaSets) if (rs) total += count(rs);
  return total;
}
