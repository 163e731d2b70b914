/** The Deployment status computed from its ReplicaSets (kube's calculateStatus). */
import type { Deployment, ReplicaSet } from '@tkube/api';
import {
  AVAILABLE,
  type DeploymentCondition,
  type DeploymentStatus,
  newCondition,
  REASONS,
  REPLICA_FAILURE,
  setCondition,
} from './conditions.js';
import {
  actualReplicasOf,
  availableReplicasOf,
  readyReplicasOf,
  replicasOf,
  specReplicas,
} from './replica-set-counts.js';
import { maxUnavailable } from './rolling-math.js';

export function calculateStatus(
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  deployment: Deployment,
  now: Date,
): DeploymentStatus {
  const available = availableReplicasOf(allRSs);
  // More available than asked (while scaling down) is not negative unavailability.
  const unavailable = Math.max(0, replicasOf(allRSs) - available);
  const status: DeploymentStatus = {
    observedGeneration: deployment.metadata?.generation ?? 0,
    replicas: actualReplicasOf(allRSs),
    updatedReplicas: actualReplicasOf([newRS]),
    readyReplicas: readyReplicasOf(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions: [...(deployment.status?.conditions ?? [])],
  };
  if (deployment.status?.collisionCount !== undefined) status.collisionCount = deployment.status.collisionCount;
  if (available >= specReplicas(deployment) - maxUnavailable(deployment)) {
    setCondition(
      status,
      newCondition(AVAILABLE, 'True', REASONS.minimumReplicasAvailable, 'Deployment has minimum availability.', now),
    );
  } else {
    setCondition(
      status,
      newCondition(
        AVAILABLE,
        'False',
        REASONS.minimumReplicasUnavailable,
        'Deployment does not have minimum availability.',
        now,
      ),
    );
  }
  return status;
}

/** getReplicaFailures: a ReplicaFailure reported by the new ReplicaSet first, then by old ones. */
export function replicaFailure(
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: Date,
): DeploymentCondition | undefined {
  const ordered = newRS ? [newRS, ...allRSs.filter((rs) => rs !== newRS)] : allRSs;
  for (const rs of ordered) {
    const failure = rs.status?.conditions?.find((c) => c.type === REPLICA_FAILURE && c.status === 'True');
    if (failure) {
      const condition = newCondition(REPLICA_FAILURE, failure.status, failure.reason ?? '', failure.message ?? '', now);
      if (failure.lastTransitionTime) condition.lastTransitionTime = failure.lastTransitionTime;
      return condition;
    }
  }
  return undefined;
}
