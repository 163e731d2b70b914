/**
 * The Recreate strategy (kube's recreate.go): scale every old ReplicaSet to zero, wait
 * until none of their pods is left running, then create and scale up the new one.
 */
import type { Deployment, Pod, ReplicaSet } from '@tkube/api';
import { deploymentComplete } from './conditions.js';
import { actualReplicasOf, specReplicas } from './replica-set-counts.js';
import { activeReplicaSets } from './replica-sets.js';
import type { DeploymentSync } from './sync.js';

/** Pods of the Deployment, by the uid of the ReplicaSet that owns them. */
export type PodsByReplicaSet = Map<string, Pod[]>;

export async function rolloutRecreate(
  sync: DeploymentSync,
  d: Deployment,
  rsList: ReplicaSet[],
  pods: PodsByReplicaSet,
): Promise<void> {
  let { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(d, rsList, false);
  let allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];

  let scaledDown = false;
  for (const rs of activeReplicaSets(oldRSs)) {
    if ((await sync.scaleTo(rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return sync.syncRolloutStatus(allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, pods)) return sync.syncRolloutStatus(allRSs, newRS, d);

  if (!newRS) {
    ({ newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(d, rsList, true));
    allRSs = [...oldRSs, ...(newRS ? [newRS] : [])];
  }
  if (newRS) await sync.scaleTo(newRS, specReplicas(d), d);
  if (d.status && deploymentComplete(d, d.status)) await sync.cleanup(oldRSs, d);
  return sync.syncRolloutStatus(allRSs, newRS, d);
}

/** Old pods still count until they finished (Succeeded or Failed) or are gone. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], pods: PodsByReplicaSet): boolean {
  if (actualReplicasOf(oldRSs) > 0) return true;
  for (const [rsUid, owned] of pods) {
    if (newRS && newRS.metadata?.uid === rsUid) continue;
    if (owned.some((pod) => pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed')) return true;
  }
  return false;
}
