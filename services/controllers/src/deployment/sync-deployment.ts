/**
 * syncDeployment (kube's deployment_controller.go): read the Deployment from the cache,
 * claim its ReplicaSets, then either only scale (paused, resized) or roll out by strategy.
 * Level-triggered and safe to repeat: every step compares desired with actual.
 */
import type { Deployment, Pod, ReplicaSet } from '@tkube/api';
import { labelSelectorToSelector } from '@tkube/api';
import { getCondition, hasProgressDeadline, newCondition, PROGRESSING, REASONS, setCondition } from './conditions.js';
import { type PodsByReplicaSet, rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { controllerRefTo, DeploymentSync } from './sync.js';
import type { DeploymentSyncDeps } from './sync-deps.js';

export async function syncDeployment(deps: DeploymentSyncDeps, namespace: string, name: string): Promise<void> {
  const cached = deps.reads.getDeployment(namespace, name);
  if (!cached) return;
  // The cache's object is shared: work on a copy.
  const d = structuredClone(cached);
  const sync = new DeploymentSync(deps);

  const selector = d.spec?.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions) || labelSelectorToSelector(selector).empty()) {
    deps.logger.warn({ deployment: name }, 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
      d.status = { ...d.status, observedGeneration: d.metadata?.generation ?? 0 };
      await deps.writes.updateDeploymentStatus(d);
    }
    return;
  }

  const rsList = await claimReplicaSets(deps, d);
  if (d.metadata?.deletionTimestamp) {
    const { newRS, oldRSs } = await sync.replicaSetsAndSyncRevision(d, rsList, false);
    return sync.syncStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
  }
  await checkPausedConditions(deps, d);
  if (d.spec?.paused) return sync.syncScaleOnly(d, rsList);
  if (await sync.isScalingEvent(d, rsList)) return sync.syncScaleOnly(d, rsList);
  if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(sync, d, rsList, podsByReplicaSet(deps, d, rsList));
  return rolloutRolling(sync, d, rsList);
}

/**
 * The ReplicaSets this Deployment controls: its own that still match, plus matching
 * orphans it adopts; its own that stopped matching are released.
 */
async function claimReplicaSets(deps: DeploymentSyncDeps, d: Deployment): Promise<ReplicaSet[]> {
  const selector = labelSelectorToSelector(d.spec?.selector);
  const uid = d.metadata?.uid;
  const claimed: ReplicaSet[] = [];
  for (const rs of deps.reads.listReplicaSets(d.metadata?.namespace ?? '')) {
    const owner = rs.metadata?.ownerReferences?.find((ref) => ref.controller);
    const matches = selector.matches(rs.metadata?.labels);
    if (owner) {
      if (owner.uid !== uid) continue;
      if (matches) claimed.push(rs);
      else if (!d.metadata?.deletionTimestamp) await deps.writes.updateReplicaSet(withoutOwner(rs, uid));
      continue;
    }
    if (!matches || d.metadata?.deletionTimestamp || rs.metadata?.deletionTimestamp) continue;
    const adopted = structuredClone(rs);
    adopted.metadata = {
      ...adopted.metadata,
      ownerReferences: [...(adopted.metadata?.ownerReferences ?? []), controllerRefTo(d)],
    };
    claimed.push(await deps.writes.updateReplicaSet(adopted));
  }
  return claimed;
}

function withoutOwner(rs: ReplicaSet, uid: string | undefined): ReplicaSet {
  const copy = structuredClone(rs);
  if (copy.metadata) copy.metadata.ownerReferences = copy.metadata.ownerReferences?.filter((ref) => ref.uid !== uid);
  return copy;
}

/** getPodMapForDeployment: the Deployment's pods grouped by the ReplicaSet that controls them. */
function podsByReplicaSet(deps: DeploymentSyncDeps, d: Deployment, rsList: ReplicaSet[]): PodsByReplicaSet {
  const selector = labelSelectorToSelector(d.spec?.selector);
  const map: PodsByReplicaSet = new Map();
  for (const rs of rsList) if (rs.metadata?.uid) map.set(rs.metadata.uid, []);
  for (const pod of deps.reads.listPods(d.metadata?.namespace ?? '')) {
    if (!selector.matches(pod.metadata?.labels)) continue;
    const owner = pod.metadata?.ownerReferences?.find((ref) => ref.controller);
    const bucket: Pod[] | undefined = owner ? map.get(owner.uid) : undefined;
    bucket?.push(pod);
  }
  return map;
}

/** A Progressing=Unknown condition says the Deployment is paused or was resumed, unless it already timed out. */
async function checkPausedConditions(deps: DeploymentSyncDeps, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const current = getCondition(d.status, PROGRESSING);
  if (current?.reason === REASONS.timedOut) return;
  const pausedRecorded = current?.reason === REASONS.paused;
  let condition: ReturnType<typeof newCondition> | undefined;
  if (d.spec?.paused && !pausedRecorded) {
    condition = newCondition(PROGRESSING, 'Unknown', REASONS.paused, 'Deployment is paused', deps.now());
  } else if (!d.spec?.paused && pausedRecorded) {
    condition = newCondition(PROGRESSING, 'Unknown', REASONS.resumed, 'Deployment is resumed', deps.now());
  }
  if (!condition) return;
  d.status ??= {};
  setCondition(d.status, condition);
  const written = await deps.writes.updateDeploymentStatus(d);
  if (d.metadata && written.metadata?.resourceVersion) d.metadata.resourceVersion = written.metadata.resourceVersion;
}
