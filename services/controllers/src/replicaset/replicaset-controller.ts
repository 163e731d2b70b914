/**
 * The ReplicaSet controller (kube's pkg/controller/replicaset/replica_set.go): keeps
 * exactly spec.replicas active pods matching the selector, adopting matching orphans and
 * releasing owned pods that stop matching, and reports what it sees in status.
 */
import type { OwnerReference, Pod, ReplicaSet } from '@tkube/api';
import { isStatusError, labelSelectorToSelector, RESOURCES, StatusError } from '@tkube/api';
import type { Clock, Informer, ResourceTarget } from '@tkube/client';
import { NAMESPACE_INDEX, RateLimitingQueue, realClock } from '@tkube/client';
import { runController } from '../framework/controller.js';
import { ControllerExpectations } from '../framework/expectations.js';
import { keyOf, splitKey } from '../framework/keys.js';
import type { SharedInformers } from '../framework/shared-informers.js';
import type { ControllerClient, Logger, RunningController } from '../framework/types.js';
import { podsToDelete } from './pod-ranking.js';
import { controllerRefOf, isPodActive } from './pod-state.js';
import { calculateStatus, statusEqual } from './replica-status.js';
import { slowStartBatch } from './slow-start.js';

export const PODS: ResourceTarget = resourceOf('pods');
export const REPLICASETS: ResourceTarget = resourceOf('replicasets');

/** At most this many creates or deletes per sync (kube's BurstReplicas). */
export const BURST_REPLICAS = 500;

function resourceOf(plural: string): ResourceTarget {
  const info = RESOURCES.find((resource) => resource.resource === plural);
  if (!info) throw new Error(`resource ${plural} is not in the catalog`);
  return { group: info.group, version: info.version, resource: info.resource };
}

export interface ReplicaSetControllerConfig {
  client: ControllerClient;
  informers: SharedInformers;
  logger: Logger;
  workers?: number;
  clock?: Clock;
  /** Wall-clock time for availability (minReadySeconds); tests pin it. */
  now?: () => number;
}

export class ReplicaSetController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  private readonly rsInformer: Informer<ReplicaSet>;
  private readonly podInformer: Informer<Pod>;
  /** Pods each ReplicaSet asked to delete: a pod's deletion is observed once, whichever event shows it. */
  private readonly pendingDeletions = new Map<string, Set<string>>();
  private readonly now: () => number;

  constructor(private readonly config: ReplicaSetControllerConfig) {
    const clock = config.clock ?? realClock;
    this.queue = new RateLimitingQueue<string>({ clock });
    this.expectations = new ControllerExpectations(clock);
    this.now = config.now ?? Date.now;
    this.rsInformer = config.informers.informerFor<ReplicaSet>(REPLICASETS);
    this.podInformer = config.informers.informerFor<Pod>(PODS);
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.queue.add(keyOf(rs)),
      onUpdate: (old, rs) => {
        if (old.metadata?.resourceVersion !== rs.metadata?.resourceVersion) this.queue.add(keyOf(rs));
      },
      onDelete: (rs) => {
        const key = keyOf(rs);
        this.expectations.delete(key);
        this.pendingDeletions.delete(key);
        this.queue.add(key);
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  run(): RunningController {
    return runController({
      name: 'replicaset',
      queue: this.queue,
      workers: this.config.workers ?? 5,
      sync: (key) => this.sync(key),
      hasSynced: () => this.rsInformer.hasSynced() && this.podInformer.hasSynced(),
      logger: this.config.logger,
    });
  }

  async sync(key: string): Promise<void> {
    const rs = this.rsInformer.cache.get(key);
    if (!rs) {
      this.expectations.delete(key);
      this.pendingDeletions.delete(key);
      return;
    }
    const { namespace } = splitKey(key);
    const selector = labelSelectorToSelector(rs.spec?.selector);
    const activePods = this.podInformer.cache.byIndex(NAMESPACE_INDEX, namespace).filter(isPodActive);
    const owned = await this.claimPods(rs, activePods, (pod) => selector.matches(pod.metadata?.labels));

    let manageError: unknown;
    if (this.expectations.satisfied(key) && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, rs, owned);
      } catch (err) {
        manageError = err;
      }
    }
    const status = calculateStatus(rs, owned, this.now());
    if (!statusEqual(rs.status, status)) await this.writeStatus(rs, status);
    if (manageError) throw manageError;

    // Pods ready but not yet available: look again when minReadySeconds has passed.
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    if (
      minReadySeconds > 0 &&
      status.readyReplicas === status.replicas &&
      status.availableReplicas !== status.replicas
    ) {
      this.queue.addAfter(key, minReadySeconds * 1000);
    }
  }

  /** Adopts matching orphans, releases owned pods that no longer match; returns the pods owned now. */
  private async claimPods(rs: ReplicaSet, pods: readonly Pod[], matches: (pod: Pod) => boolean): Promise<Pod[]> {
    const uid = rs.metadata?.uid;
    const owned: Pod[] = [];
    let canAdopt: boolean | undefined;
    for (const pod of pods) {
      const ref = controllerRefOf(pod);
      if (ref) {
        if (ref.uid !== uid) continue;
        if (matches(pod)) owned.push(pod);
        else if (!rs.metadata?.deletionTimestamp) await this.release(rs, pod);
        continue;
      }
      if (!matches(pod) || rs.metadata?.deletionTimestamp || pod.metadata?.deletionTimestamp) continue;
      // The cache may hold a ReplicaSet since deleted and recreated: check the live one first.
      canAdopt ??= await this.isCurrent(rs);
      if (!canAdopt) continue;
      const adopted = await this.adopt(rs, pod);
      if (adopted) owned.push(adopted);
    }
    return owned;
  }

  private async isCurrent(rs: ReplicaSet): Promise<boolean> {
    try {
      const live = await this.config.client.get<ReplicaSet>(
        { ...REPLICASETS, namespace: rs.metadata?.namespace },
        rs.metadata?.name ?? '',
      );
      return live.metadata?.uid === rs.metadata?.uid && !live.metadata?.deletionTimestamp;
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return false;
      throw err;
    }
  }

  private async adopt(rs: ReplicaSet, pod: Pod): Promise<Pod | undefined> {
    const references = [...(pod.metadata?.ownerReferences ?? []), ownerReferenceTo(rs)];
    try {
      return await this.config.client.patch<Pod>(
        { ...PODS, namespace: pod.metadata?.namespace },
        pod.metadata?.name ?? '',
        'merge',
        { metadata: { uid: pod.metadata?.uid, ownerReferences: references } },
      );
    } catch (err) {
      if (isStatusError(err) && (err.code === 404 || err.code === 409)) return undefined;
      throw err;
    }
  }

  private async release(rs: ReplicaSet, pod: Pod): Promise<void> {
    const references = (pod.metadata?.ownerReferences ?? []).filter((ref) => ref.uid !== rs.metadata?.uid);
    try {
      await this.config.client.patch(
        { ...PODS, namespace: pod.metadata?.namespace },
        pod.metadata?.name ?? '',
        'merge',
        { metadata: { uid: pod.metadata?.uid, ownerReferences: references.length > 0 ? references : null } },
      );
    } catch (err) {
      if (isStatusError(err) && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }

  private async manageReplicas(key: string, rs: ReplicaSet, owned: readonly Pod[]): Promise<void> {
    const diff = owned.length - (rs.spec?.replicas ?? 1);
    const namespace = rs.metadata?.namespace ?? '';
    if (diff < 0) {
      const count = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, count);
      const { successes, error } = await slowStartBatch(count, 1, async () => {
        await this.config.client.create<Pod>({ ...PODS, namespace }, podFromTemplate(rs));
      });
      // Creates that failed or never went out will not be observed.
      if (count > successes) this.expectations.lower(key, count - successes, 0);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      const victims = podsToDelete(owned, Math.min(diff, BURST_REPLICAS));
      this.pendingDeletions.set(key, new Set(victims.map(keyOf)));
      this.expectations.expectDeletions(key, victims.length);
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await this.config.client.delete({ ...PODS, namespace }, pod.metadata?.name ?? '', {
              preconditions: { uid: pod.metadata?.uid },
            });
          } catch (err) {
            this.observeDeletion(key, keyOf(pod));
            if (isStatusError(err) && err.code === 404) return;
            throw err;
          }
        }),
      );
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async writeStatus(rs: ReplicaSet, status: NonNullable<ReplicaSet['status']>): Promise<void> {
    const target = { ...REPLICASETS, namespace: rs.metadata?.namespace };
    try {
      await this.config.client.updateStatus<ReplicaSet>(target, { ...rs, status });
    } catch (err) {
      if (!isStatusError(err) || err.code !== 409) throw err;
      // Someone wrote the ReplicaSet meanwhile: write over the fresh one.
      const fresh = await this.config.client.get<ReplicaSet>(target, rs.metadata?.name ?? '');
      if (fresh.metadata?.uid !== rs.metadata?.uid) return;
      await this.config.client.updateStatus<ReplicaSet>(target, { ...fresh, status });
    }
  }

  private observeDeletion(rsKey: string, podKey: string): void {
    const pending = this.pendingDeletions.get(rsKey);
    if (!pending?.delete(podKey)) return;
    this.expectations.deletionObserved(rsKey);
  }

  /** The key of the ReplicaSet the reference names, if the cache has that very one. */
  private ownerKey(namespace: string, ref: OwnerReference | undefined): string | undefined {
    if (ref?.kind !== 'ReplicaSet') return undefined;
    const key = `${namespace}/${ref.name}`;
    return this.rsInformer.cache.get(key)?.metadata?.uid === ref.uid ? key : undefined;
  }

  /** Every ReplicaSet in the pod's namespace whose selector matches it (candidates to adopt it). */
  private matchingKeys(pod: Pod): string[] {
    return this.rsInformer.cache
      .byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '')
      .filter((rs) => labelSelectorToSelector(rs.spec?.selector).matches(pod.metadata?.labels))
      .map(keyOf);
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    const key = this.ownerKey(pod.metadata?.namespace ?? '', controllerRefOf(pod));
    if (key) {
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    if (!controllerRefOf(pod)) for (const candidate of this.matchingKeys(pod)) this.queue.add(candidate);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const namespace = pod.metadata?.namespace ?? '';
    if (pod.metadata?.deletionTimestamp) {
      // A graceful delete: the pod stops counting now, not when it is finally gone.
      this.podDeleted(pod);
      return;
    }
    const oldRef = controllerRefOf(old);
    const ref = controllerRefOf(pod);
    if (oldRef?.uid !== ref?.uid) {
      const oldKey = this.ownerKey(namespace, oldRef);
      if (oldKey) this.queue.add(oldKey);
    }
    const key = this.ownerKey(namespace, ref);
    if (key) {
      this.queue.add(key);
      return;
    }
    if (!ref) for (const candidate of this.matchingKeys(pod)) this.queue.add(candidate);
  }

  private podDeleted(pod: Pod): void {
    const key = this.ownerKey(pod.metadata?.namespace ?? '', controllerRefOf(pod));
    if (!key) return;
    this.observeDeletion(key, keyOf(pod));
    this.queue.add(key);
  }
}

export function ownerReferenceTo(rs: ReplicaSet): OwnerReference {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: rs.metadata?.name ?? '',
    uid: rs.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** A new pod from the ReplicaSet's template, owned by it. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const template = rs.spec?.template;
  if (!template?.spec) throw StatusError.invalid('ReplicaSet', rs.metadata?.name ?? '', [], 'apps');
  const metadata = template.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name ?? ''}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...metadata.labels },
      ...(metadata.annotations ? { annotations: { ...metadata.annotations } } : {}),
      ...(metadata.finalizers ? { finalizers: [...metadata.finalizers] } : {}),
      ownerReferences: [ownerReferenceTo(rs)],
    },
    spec: structuredClone(template.spec),
  };
}
