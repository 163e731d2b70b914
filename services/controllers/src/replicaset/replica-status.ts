/** The status a ReplicaSet reports about the pods it owns (kube's calculateStatus). */
import type { Pod, ReplicaSet } from '@tkube/api';

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;

import { isPodAvailable, isPodReady } from './pod-state.js';

export function calculateStatus(rs: ReplicaSet, activePods: readonly Pod[], nowMs: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const fullyLabeled = activePods.filter((pod) =>
    Object.entries(templateLabels).every(([key, value]) => pod.metadata?.labels?.[key] === value),
  );
  const status: ReplicaSetStatus = {
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled.length,
    readyReplicas: activePods.filter(isPodReady).length,
    availableReplicas: activePods.filter((pod) => isPodAvailable(pod, minReadySeconds, nowMs)).length,
    observedGeneration: rs.metadata?.generation ?? 0,
  };
  if (rs.status?.conditions?.length) status.conditions = rs.status.conditions;
  return status;
}

export function statusEqual(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  return (
    (a?.replicas ?? 0) === b.replicas &&
    (a?.fullyLabeledReplicas ?? 0) === (b.fullyLabeledReplicas ?? 0) &&
    (a?.readyReplicas ?? 0) === (b.readyReplicas ?? 0) &&
    (a?.availableReplicas ?? 0) === (b.availableReplicas ?? 0) &&
    (a?.observedGeneration ?? 0) === (b.observedGeneration ?? 0)
  );
}
