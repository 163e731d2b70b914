/**
 * The steps shared by every strategy (kube's sync.go): find or create the new ReplicaSet
 * and number its revision, scale ReplicaSets, proportional scaling while paused or resized,
 * history clean-up and the status write.
 */
import type { Deployment, ReplicaSet } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import {
  maxRevision,
  REVISION_ANNOTATION,
  replicasAnnotationsNeedUpdate,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './annotations.js';
import {
  deadlineOf,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getCondition,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  newCondition,
  PROGRESSING,
  REASONS,
  REPLICA_FAILURE,
  removeCondition,
  setCondition,
} from './conditions.js';
import { canonicalJson, computeHash, POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { proportionFor } from './proportion.js';
import { replicasOf, specReplicas } from './replica-set-counts.js';
import {
  activeReplicaSets,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  isSaturated,
} from './replica-sets.js';
import { isRollingUpdate, maxSurge, newReplicaSetReplicas } from './rolling-math.js';
import { calculateStatus, replicaFailure } from './status.js';
import type { DeploymentSyncDeps } from './sync-deps.js';

export interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export class DeploymentSync {
  constructor(private readonly deps: DeploymentSyncDeps) {}

  get now(): Date {
    return this.deps.now();
  }

  /**
   * getAllReplicaSetsAndSyncRevision: splits new from old and brings the new one (created
   * when `create` is set) to the next revision; a rollback's reused ReplicaSet gets it too.
   */
  async replicaSetsAndSyncRevision(
    d: Deployment,
    rsList: ReplicaSet[],
    create: boolean,
  ): Promise<ReplicaSetsOfDeployment> {
    const oldRSs = findOldReplicaSets(d, rsList);
    const newRS = await this.getNewReplicaSet(d, rsList, oldRSs, create);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(
    d: Deployment,
    rsList: ReplicaSet[],
    oldRSs: ReplicaSet[],
    create: boolean,
  ): Promise<ReplicaSet | undefined> {
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing) return this.syncExistingNewReplicaSet(d, existing, newRevision);
    if (!create) return undefined;

    const template = structuredClone(d.spec?.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    template.metadata ??= {};
    template.metadata.labels = { ...template.metadata.labels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const selector = structuredClone(d.spec?.selector ?? {});
    selector.matchLabels = { ...selector.matchLabels, [POD_TEMPLATE_HASH_LABEL]: hash };
    const namespace = d.metadata?.namespace ?? 'default';
    const fresh: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata?.name}-${hash}`,
        namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [controllerRefTo(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    };
    if (fresh.spec) fresh.spec.replicas = newReplicaSetReplicas(d, [...oldRSs, fresh], fresh);
    setNewReplicaSetAnnotations(d, fresh, newRevision, false);

    let created: ReplicaSet;
    let alreadyExisted = false;
    try {
      created = await this.deps.writes.createReplicaSet(fresh);
    } catch (error) {
      if (isStatusError(error) && error.reason === 'AlreadyExists') {
        const found = this.deps.reads
          .listReplicaSets(namespace)
          .find((rs) => rs.metadata?.name === fresh.metadata?.name);
        const owner = found?.metadata?.ownerReferences?.find((ref) => ref.controller);
        if (found && owner?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
          created = found;
          alreadyExisted = true;
        } else {
          // A hash collision: a different template owns the name. The next hash mixes in a higher count.
          d.status ??= {};
          d.status.collisionCount = (d.status.collisionCount ?? 0) + 1;
          await this.deps.writes.updateDeploymentStatus(d);
          throw error;
        }
      } else {
        if (hasProgressDeadline(d)) {
          d.status ??= {};
          const message = `Failed to create new replica set "${fresh.metadata?.name}": ${errorMessage(error)}`;
          setCondition(d.status, newCondition(PROGRESSING, 'False', REASONS.failedCreate, message, this.now));
          await this.deps.writes.updateDeploymentStatus(d);
        }
        throw error;
      }
    }
    if (!alreadyExisted && specReplicas(created) > 0) {
      this.deps.logger.info(
        { deployment: d.metadata?.name, replicaSet: created.metadata?.name },
        `Scaled up replica set ${created.metadata?.name} from 0 to ${specReplicas(created)}`,
      );
    }
    let needsUpdate = setDeploymentRevision(d, String(newRevision));
    if (!alreadyExisted && hasProgressDeadline(d)) {
      d.status ??= {};
      const message = `Created new replica set "${created.metadata?.name}"`;
      setCondition(d.status, newCondition(PROGRESSING, 'True', REASONS.newReplicaSetCreated, message, this.now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return created;
  }

  private async syncExistingNewReplicaSet(
    d: Deployment,
    existing: ReplicaSet,
    newRevision: number,
  ): Promise<ReplicaSet> {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
    if (annotationsChanged || minReadyChanged) {
      if (copy.spec) copy.spec.minReadySeconds = d.spec?.minReadySeconds ?? 0;
      return this.deps.writes.updateReplicaSet(copy);
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata?.annotations?.[REVISION_ANNOTATION]);
    if (hasProgressDeadline(d) && !getCondition(d.status, PROGRESSING)) {
      d.status ??= {};
      const message = `Found new replica set "${copy.metadata?.name}"`;
      setCondition(d.status, newCondition(PROGRESSING, 'True', REASONS.foundNewReplicaSet, message, this.now));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus(d);
    return copy;
  }

  /** Writes the status and keeps the answer's resourceVersion, so later writes of `d` do not conflict. */
  private async writeStatus(d: Deployment): Promise<void> {
    const written = await this.deps.writes.updateDeploymentStatus(d);
    if (d.metadata && written.metadata?.resourceVersion) d.metadata.resourceVersion = written.metadata.resourceVersion;
  }

  /** scaleReplicaSetAndRecordEvent: a ReplicaSet already of that size is left alone. */
  async scaleTo(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, d);
  }

  /** scaleReplicaSet: sets the size and the sizing annotations; answers whether the size changed. */
  async scaleReplicaSet(rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const desired = specReplicas(d);
    const max = desired + maxSurge(d);
    const sizeChanged = specReplicas(rs) !== newScale;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, selector: copy.spec?.selector ?? {}, replicas: newScale };
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.deps.writes.updateReplicaSet(copy);
    if (sizeChanged) {
      const direction = newScale > specReplicas(rs) ? 'up' : 'down';
      this.deps.logger.info(
        { deployment: d.metadata?.name, replicaSet: rs.metadata?.name },
        `Scaled ${direction} replica set ${rs.metadata?.name} from ${specReplicas(rs)} to ${newScale}`,
      );
    }
    return { scaled: sizeChanged, rs: updated };
  }

  /** isScalingEvent: some active ReplicaSet was sized for another spec.replicas. */
  async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, false);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'];
      return desired !== undefined && /^\d+$/.test(desired) && Number(desired) !== specReplicas(d);
    });
  }

  /** sync: scaling only (paused, or resized), then clean-up when paused, then status. */
  async syncScaleOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(d, rsList, false);
    await this.scale(d, newRS, oldRSs);
    if (d.spec?.paused) await this.cleanup(oldRSs, d);
    await this.syncStatus([...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
  }

  /** scale: spec.replicas spread over the ReplicaSets (kube's scale()). */
  async scale(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const desired = specReplicas(d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      await this.scaleTo(activeOrLatest, desired, d);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of activeReplicaSets(oldRSs)) await this.scaleTo(old, 0, d);
      return;
    }
    if (!isRollingUpdate(d)) return;
    const allRSs = activeReplicaSets([...oldRSs, newRS]);
    const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
    const toAdd = allowedSize - replicasOf(allRSs);
    if (toAdd > 0) allRSs.sort(bySizeNewer);
    else if (toAdd < 0) allRSs.sort(bySizeOlder);
    const sizes = new Map<ReplicaSet, number>();
    let added = 0;
    for (const rs of allRSs) {
      const proportion = toAdd !== 0 ? proportionFor(rs, d, toAdd, added) : 0;
      sizes.set(rs, specReplicas(rs) + proportion);
      added += proportion;
    }
    for (const [index, rs] of allRSs.entries()) {
      let size = sizes.get(rs) ?? specReplicas(rs);
      // What rounding left over goes to the largest ReplicaSet.
      if (index === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      await this.scaleReplicaSet(rs, size, d);
    }
  }

  /** cleanupDeployment: deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit. */
  async cleanup(oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
    const excess = cleanable.length - (d.spec?.revisionHistoryLimit ?? 0);
    if (excess <= 0) return;
    cleanable.sort(byRevision);
    for (const rs of cleanable.slice(0, excess)) {
      // A ReplicaSet that still runs pods, or whose controller has not caught up, stays.
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.deps.writes.deleteReplicaSet(
          rs.metadata?.namespace ?? '',
          rs.metadata?.name ?? '',
          rs.metadata?.uid ?? '',
        );
      } catch (error) {
        if (!(isStatusError(error) && error.reason === 'NotFound')) throw error;
      }
    }
  }

  /** syncDeploymentStatus: writes the computed status when it differs. */
  async syncStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const status = calculateStatus(allRSs, newRS, d, this.now);
    if (sameStatus(d.status, status)) return;
    await this.writeStatus({ ...d, status });
  }

  /** syncRolloutStatus: status plus the Progressing condition and the deadline check. */
  async syncRolloutStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
    const now = this.now;
    const status = calculateStatus(allRSs, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, PROGRESSING);
    const current = getCondition(d.status, PROGRESSING);
    const rolloutDone =
      status.replicas === status.updatedReplicas && current?.reason === REASONS.newReplicaSetAvailable;
    if (hasProgressDeadline(d) && !rolloutDone) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
      if (deploymentComplete(d, status)) {
        const message = `${subject} has successfully progressed.`;
        setCondition(status, newCondition(PROGRESSING, 'True', REASONS.newReplicaSetAvailable, message, now));
      } else if (deploymentProgressing(d, status)) {
        // Progress refreshes lastUpdateTime even when the reason stays, which setCondition would skip.
        const condition = newCondition(
          PROGRESSING,
          'True',
          REASONS.replicaSetUpdated,
          `${subject} is progressing.`,
          now,
        );
        if (current?.status === 'True' && current.lastTransitionTime)
          condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, PROGRESSING);
        setCondition(status, condition);
      } else if (deploymentTimedOut(d, status, now)) {
        const message = `${subject} has timed out progressing.`;
        setCondition(status, newCondition(PROGRESSING, 'False', REASONS.timedOut, message, now));
      }
    }
    const failure = replicaFailure(allRSs, newRS, now);
    if (failure) setCondition(status, failure);
    else removeCondition(status, REPLICA_FAILURE);

    if (sameStatus(d.status, status)) {
      this.requeueStuck(d, status);
      return;
    }
    await this.writeStatus({ ...d, status });
  }

  /** No event says a deadline passed: look again when it would. */
  private requeueStuck(d: Deployment, status: NonNullable<Deployment['status']>): void {
    const current = getCondition(d.status, PROGRESSING);
    if (!hasProgressDeadline(d) || !current) return;
    if (deploymentComplete(d, status) || current.reason === REASONS.timedOut) return;
    const key = `${d.metadata?.namespace}/${d.metadata?.name}`;
    const after = deadlineOf(d, current) - this.now.getTime();
    this.deps.enqueueAfter(key, Math.max(after, 0) < 1000 ? 1000 : after);
  }
}

export function controllerRefTo(d: Deployment) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: d.metadata?.name ?? '',
    uid: d.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function sameStatus(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? {}) === canonicalJson(b ?? {});
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
