/**
 * The RollingUpdate strategy (kube's rolling.go): grow the new ReplicaSet within maxSurge,
 * shrink old ones within maxUnavailable (unhealthy replicas first, since they count for
 * nothing and would block the rollout), and clean up history once complete.
 */
import type { Deployment, ReplicaSet } from '@tkube/api';
import { deploymentComplete } from './conditions.js';
import { availableReplicasOf, replicasOf, specReplicas } from './replica-set-counts.js';
import { activeReplicaSets, byCreation } from './replica-sets.js';
import { maxUnavailable, newReplicaSetReplicas } from './rolling-math.js';
import type { DeploymentSync } from './sync.js';

export async function rolloutRolling(sync: DeploymentSync, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(d, rsList, true);
  if (!newRS) return;
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(sync, allRSs, newRS, d)) return sync.syncRolloutStatus(allRSs, newRS, d);
  if (await reconcileOldReplicaSets(sync, allRSs, activeReplicaSets(oldRSs), newRS, d)) {
    return sync.syncRolloutStatus(allRSs, newRS, d);
  }
  if (d.status && deploymentComplete(d, d.status)) await sync.cleanup(oldRSs, d);
  return sync.syncRolloutStatus(allRSs, newRS, d);
}

export async function reconcileNewReplicaSet(
  sync: DeploymentSync,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet,
  d: Deployment,
): Promise<boolean> {
  const desired = specReplicas(d);
  const current = specReplicas(newRS);
  if (current === desired) return false;
  const target = current > desired ? desired : newReplicaSetReplicas(d, allRSs, newRS);
  return (await sync.scaleTo(newRS, target, d)).scaled;
}

/**
 * How far old ReplicaSets may shrink: everything above minAvailable, less the new
 * ReplicaSet's own not-yet-available pods (they may never come up).
 */
export async function reconcileOldReplicaSets(
  sync: DeploymentSync,
  allRSs: ReplicaSet[],
  oldRSs: ReplicaSet[],
  newRS: ReplicaSet,
  d: Deployment,
): Promise<boolean> {
  if (replicasOf(oldRSs) === 0) return false;
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = replicasOf(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(sync, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(sync, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  return cleaned.scaledDown + scaledDown > 0;
}

async function cleanupUnhealthyReplicas(
  sync: DeploymentSync,
  oldRSs: ReplicaSet[],
  d: Deployment,
  maxCleanup: number,
): Promise<{ oldRSs: ReplicaSet[]; scaledDown: number }> {
  const sorted = [...oldRSs].sort(byCreation);
  let total = 0;
  for (const [index, rs] of sorted.entries()) {
    if (total >= maxCleanup) break;
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCleanup - total, replicas - available);
    sorted[index] = (await sync.scaleTo(rs, replicas - count, d)).rs;
    total += count;
  }
  return { oldRSs: sorted, scaledDown: total };
}

async function scaleDownOldForRollingUpdate(
  sync: DeploymentSync,
  allRSs: ReplicaSet[],
  oldRSs: ReplicaSet[],
  d: Deployment,
): Promise<number> {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = availableReplicasOf(allRSs);
  if (available <= minAvailable) return 0;
  const toScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= toScaleDown) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, toScaleDown - total);
    await sync.scaleTo(rs, replicas - count, d);
    total += count;
  }
  return total;
}
