/**
 * The garbage collector (kube's pkg/controller/garbagecollector), simplified: it follows
 * every kind that can own or be owned and
 * - deletes an object whose owners are all gone (background propagation), or drops the
 *   references to gone owners when some owner remains;
 * - for an owner deleted in the foreground (deletionTimestamp + `foregroundDeletion`),
 *   deletes its dependents and removes the finalizer once no blocking dependent is left;
 * - for an owner deleted with `orphan`, removes the references to it from its dependents,
 *   then the finalizer.
 * An owner missing from the caches is checked with a live GET before anything is deleted:
 * the caches lag, and a dependent seen before its owner must not be collected.
 * The queue holds uids.
 */
import type { KubeObject, OwnerReference, ResourceInfo } from '@tkube/api';
import { findKind, isStatusError, RESOURCES } from '@tkube/api';
import type { Clock, ResourceTarget } from '@tkube/client';
import { RateLimitingQueue, realClock } from '@tkube/client';
import { runController } from '../framework/controller.js';
import type { SharedInformers } from '../framework/shared-informers.js';
import type { ControllerClient, Logger, RunningController } from '../framework/types.js';
import { type GraphNode, OwnerGraph } from './owner-graph.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** Kinds not followed: events own nothing and churn a lot. */
const IGNORED = new Set(['events']);

export const DEFAULT_GC_RESOURCES: readonly ResourceInfo[] = RESOURCES.filter((info) => !IGNORED.has(info.resource));

export interface GarbageCollectorConfig {
  client: ControllerClient;
  informers: SharedInformers;
  logger: Logger;
  resources?: readonly ResourceInfo[];
  workers?: number;
  clock?: Clock;
}

type OwnerState = 'present' | 'gone' | 'deleting-foreground';

export class GarbageCollector {
  readonly queue: RateLimitingQueue<string>;
  readonly graph = new OwnerGraph();
  private readonly synced: Array<() => boolean> = [];

  constructor(private readonly config: GarbageCollectorConfig) {
    this.queue = new RateLimitingQueue<string>({ clock: config.clock ?? realClock });
    for (const info of config.resources ?? DEFAULT_GC_RESOURCES) {
      const informer = config.informers.informerFor(info);
      this.synced.push(() => informer.hasSynced());
      informer.addEventHandler({
        onAdd: (object) => this.observed(info, object),
        onUpdate: (_old, object) => this.observed(info, object),
        onDelete: (object) => this.removed(object),
      });
    }
  }

  run(): RunningController {
    return runController({
      name: 'garbage-collector',
      queue: this.queue,
      workers: this.config.workers ?? 5,
      sync: (uid) => this.sync(uid),
      hasSynced: () => this.synced.every((check) => check()),
      logger: this.config.logger,
    });
  }

  private observed(info: ResourceInfo, object: KubeObject): void {
    const uid = object.metadata?.uid;
    if (!uid) return;
    const formerOwners = this.graph.upsert(info, object);
    for (const owner of formerOwners) this.queue.add(owner);
    if (object.metadata?.ownerReferences?.length || object.metadata?.deletionTimestamp) this.queue.add(uid);
  }

  private removed(object: KubeObject): void {
    const uid = object.metadata?.uid;
    if (!uid) return;
    const dependents = this.graph.dependentsOf(uid);
    const owners = this.graph.remove(object);
    // Dependents may now be orphans to collect; owners may be waiting for this one to go.
    for (const dependent of dependents) this.queue.add(dependent.object.metadata?.uid ?? '');
    for (const owner of owners) this.queue.add(owner);
  }

  async sync(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    const metadata = node.object.metadata ?? {};
    const finalizers = metadata.finalizers ?? [];
    if (metadata.deletionTimestamp && finalizers.includes(ORPHAN_FINALIZER)) {
      await this.orphanDependents(node);
      return;
    }
    if (metadata.deletionTimestamp && finalizers.includes(FOREGROUND_FINALIZER)) {
      await this.deleteDependentsFirst(node);
      return;
    }
    if (!metadata.deletionTimestamp && metadata.ownerReferences?.length) await this.collectIfOrphaned(node);
  }

  private async collectIfOrphaned(node: GraphNode): Promise<void> {
    const references = node.object.metadata?.ownerReferences ?? [];
    const states = await Promise.all(references.map((ref) => this.ownerState(node, ref)));
    const gone = references.filter((_, i) => states[i] === 'gone');
    if (gone.length === 0) return;
    const remaining = references.filter((_, i) => states[i] !== 'gone');
    if (remaining.length > 0) {
      await this.patchOwnerReferences(node, remaining);
      return;
    }
    this.config.logger.info(
      { kind: node.info.kind, namespace: node.object.metadata?.namespace, name: node.object.metadata?.name },
      'deleting object whose owners are gone',
    );
    await this.deleteObject(node, 'Background');
  }

  private async ownerState(node: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const cached = this.graph.get(ref.uid);
    if (cached) return stateOf(cached.object);
    const info = findKind(ref.apiVersion, ref.kind);
    // An owner of a kind nobody serves cannot exist.
    if (!info) return 'gone';
    const namespace = info.namespaced ? node.object.metadata?.namespace : undefined;
    try {
      const live = await this.config.client.get({ ...targetOf(info), namespace }, ref.name);
      return live.metadata?.uid === ref.uid ? stateOf(live) : 'gone';
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return 'gone';
      throw err;
    }
  }

  private async deleteDependentsFirst(owner: GraphNode): Promise<void> {
    const ownerUid = owner.object.metadata?.uid ?? '';
    const dependents = this.graph.dependentsOf(ownerUid);
    for (const dependent of dependents) {
      if (dependent.object.metadata?.deletionTimestamp) continue;
      const ref = dependent.object.metadata?.ownerReferences?.find((r) => r.uid === ownerUid);
      await this.deleteObject(dependent, ref?.blockOwnerDeletion ? 'Foreground' : 'Background');
    }
    const blocking = dependents.filter((dependent) =>
      dependent.object.metadata?.ownerReferences?.some((r) => r.uid === ownerUid && r.blockOwnerDeletion),
    );
    // Each dependent's removal requeues the owner; finish once none blocks any more.
    if (blocking.length === 0) await this.removeFinalizer(owner, FOREGROUND_FINALIZER);
  }

  private async orphanDependents(owner: GraphNode): Promise<void> {
    const ownerUid = owner.object.metadata?.uid ?? '';
    for (const dependent of this.graph.dependentsOf(ownerUid)) {
      const remaining = (dependent.object.metadata?.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
      await this.patchOwnerReferences(dependent, remaining);
    }
    await this.removeFinalizer(owner, ORPHAN_FINALIZER);
  }

  private async patchOwnerReferences(node: GraphNode, references: OwnerReference[]): Promise<void> {
    const { namespace, name, uid } = node.object.metadata ?? {};
    await this.ignoreNotFound(
      this.config.client.patch({ ...targetOf(node.info), namespace }, name ?? '', 'merge', {
        metadata: { uid, ownerReferences: references.length > 0 ? references : null },
      }),
    );
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    const { namespace, name, uid, resourceVersion, finalizers = [] } = node.object.metadata ?? {};
    const rest = finalizers.filter((f) => f !== finalizer);
    await this.ignoreNotFound(
      this.config.client.patch({ ...targetOf(node.info), namespace }, name ?? '', 'merge', {
        metadata: { uid, resourceVersion, finalizers: rest.length > 0 ? rest : null },
      }),
    );
  }

  private async deleteObject(node: GraphNode, propagationPolicy: 'Background' | 'Foreground'): Promise<void> {
    const { namespace, name, uid } = node.object.metadata ?? {};
    await this.ignoreNotFound(
      this.config.client.delete({ ...targetOf(node.info), namespace }, name ?? '', {
        propagationPolicy,
        preconditions: { uid },
      }),
    );
  }

  /** Gone already: nothing to do. (A uid precondition failing with 409 is retried; the graph catches up.) */
  private async ignoreNotFound(write: Promise<unknown>): Promise<void> {
    try {
      await write;
    } catch (err) {
      if (isStatusError(err) && err.code === 404) return;
      throw err;
    }
  }
}

function stateOf(object: KubeObject): OwnerState {
  const metadata = object.metadata ?? {};
  if (metadata.deletionTimestamp && metadata.finalizers?.includes(FOREGROUND_FINALIZER)) return 'deleting-foreground';
  return 'present';
}

function targetOf(info: ResourceInfo): ResourceTarget {
  return { group: info.group, version: info.version, resource: info.resource };
}
