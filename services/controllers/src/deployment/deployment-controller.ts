/**
 * The Deployment controller (kube's pkg/controller/deployment): informers on Deployments,
 * ReplicaSets and pods feed a queue of Deployment keys; `sync(key)` is syncDeployment over
 * the caches. Handlers only find the owning Deployment and enqueue it.
 */
import type { Deployment, KubeObject, OwnerReference, Pod, ReplicaSet } from '@tkube/api';
import { labelSelectorToSelector, RESOURCES } from '@tkube/api';
import type { Clock, Informer, ResourceTarget } from '@tkube/client';
import { NAMESPACE_INDEX, RateLimitingQueue, realClock } from '@tkube/client';
import { runController } from '../framework/controller.js';
import { keyOf, splitKey } from '../framework/keys.js';
import type { SharedInformers } from '../framework/shared-informers.js';
import type { ControllerClient, Logger, RunningController } from '../framework/types.js';
import { syncDeployment } from './sync-deployment.js';
import type { DeploymentSyncDeps } from './sync-deps.js';

export const DEPLOYMENTS: ResourceTarget = resourceOf('deployments');
export const REPLICASETS: ResourceTarget = resourceOf('replicasets');
export const PODS: ResourceTarget = resourceOf('pods');

function resourceOf(plural: string): ResourceTarget {
  const info = RESOURCES.find((resource) => resource.resource === plural);
  if (!info) throw new Error(`resource ${plural} is not in the catalog`);
  return { group: info.group, version: info.version, resource: info.resource };
}

export interface DeploymentControllerConfig {
  client: ControllerClient;
  informers: SharedInformers;
  logger: Logger;
  workers?: number;
  clock?: Clock;
  /** Wall-clock time for conditions and the progress deadline; tests pin it. */
  now?: () => Date;
}

export class DeploymentController {
  readonly queue: RateLimitingQueue<string>;
  private readonly deploymentInformer: Informer<Deployment>;
  private readonly rsInformer: Informer<ReplicaSet>;
  private readonly podInformer: Informer<Pod>;
  private readonly deps: DeploymentSyncDeps;

  constructor(private readonly config: DeploymentControllerConfig) {
    const clock = config.clock ?? realClock;
    this.queue = new RateLimitingQueue<string>({ clock });
    this.deploymentInformer = config.informers.informerFor<Deployment>(DEPLOYMENTS);
    this.rsInformer = config.informers.informerFor<ReplicaSet>(REPLICASETS);
    this.podInformer = config.informers.informerFor<Pod>(PODS);
    this.deps = this.syncDeps(config.now ?? (() => new Date()));

    this.deploymentInformer.addEventHandler({
      onAdd: (d) => this.queue.add(keyOf(d)),
      onUpdate: (_old, d) => this.queue.add(keyOf(d)),
      onDelete: (d) => this.queue.add(keyOf(d)),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        if (old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
        const oldRef = controllerRefOf(old);
        if (oldRef && oldRef.uid !== controllerRefOf(rs)?.uid) this.enqueueOwner(old, oldRef);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => {
        const ref = controllerRefOf(rs);
        if (ref) this.enqueueOwner(rs, ref);
      },
    });
    // Only Recreate waits on pods: it may go on once the old ones are gone.
    this.podInformer.addEventHandler({ onDelete: (pod) => this.podDeleted(pod) });
  }

  run(): RunningController {
    return runController({
      name: 'deployment',
      queue: this.queue,
      workers: this.config.workers ?? 5,
      sync: (key) => this.sync(key),
      hasSynced: () =>
        this.deploymentInformer.hasSynced() && this.rsInformer.hasSynced() && this.podInformer.hasSynced(),
      logger: this.config.logger,
    });
  }

  sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    return syncDeployment(this.deps, namespace, name);
  }

  /** An owned ReplicaSet wakes its Deployment; an orphan wakes every Deployment that could adopt it. */
  private replicaSetChanged(rs: ReplicaSet): void {
    const ref = controllerRefOf(rs);
    if (ref) {
      this.enqueueOwner(rs, ref);
      return;
    }
    const namespace = rs.metadata?.namespace ?? '';
    for (const d of this.deploymentInformer.cache.byIndex(NAMESPACE_INDEX, namespace)) {
      if (labelSelectorToSelector(d.spec?.selector).matches(rs.metadata?.labels)) this.queue.add(keyOf(d));
    }
  }

  private enqueueOwner(object: KubeObject, ref: OwnerReference): void {
    const d = this.ownerDeployment(object.metadata?.namespace ?? '', ref);
    if (d) this.queue.add(keyOf(d));
  }

  /** The Deployment a controllerRef names, if it is the same object (uid) the cache holds. */
  private ownerDeployment(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.deploymentInformer.cache.get(`${namespace}/${ref.name}`);
    return d?.metadata?.uid === ref.uid ? d : undefined;
  }

  private podDeleted(pod: Pod): void {
    const namespace = pod.metadata?.namespace ?? '';
    const podRef = controllerRefOf(pod);
    if (podRef?.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.cache.get(`${namespace}/${podRef.name}`);
    const rsRef = rs && rs.metadata?.uid === podRef.uid ? controllerRefOf(rs) : undefined;
    const d = rsRef ? this.ownerDeployment(namespace, rsRef) : undefined;
    if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(keyOf(d));
  }

  private syncDeps(now: () => Date): DeploymentSyncDeps {
    const { client, logger } = this.config;
    const inNamespace = (target: ResourceTarget, namespace: string | undefined) => ({ ...target, namespace });
    return {
      reads: {
        getDeployment: (namespace, name) => this.deploymentInformer.cache.get(`${namespace}/${name}`),
        listReplicaSets: (namespace) => this.rsInformer.cache.byIndex(NAMESPACE_INDEX, namespace),
        listPods: (namespace) => this.podInformer.cache.byIndex(NAMESPACE_INDEX, namespace),
      },
      writes: {
        createReplicaSet: (rs) => client.create(inNamespace(REPLICASETS, rs.metadata?.namespace), rs),
        updateReplicaSet: (rs) => client.update(inNamespace(REPLICASETS, rs.metadata?.namespace), rs),
        deleteReplicaSet: async (namespace, name, uid) => {
          await client.delete(inNamespace(REPLICASETS, namespace), name, {
            preconditions: { uid },
            propagationPolicy: 'Background',
          });
        },
        // The status subresource of Deployments carries annotations, so the revision
        // annotation rides with the status (a main-resource write would bump generation).
        updateDeploymentStatus: (d) => client.updateStatus(inNamespace(DEPLOYMENTS, d.metadata?.namespace), d),
      },
      logger: {
        info: (fields, message) => logger.info({ controller: 'deployment', ...fields }, message),
        warn: (fields, message) => logger.warn({ controller: 'deployment', ...fields }, message),
      },
      now,
      enqueueAfter: (key, delayMs) => this.queue.addAfter(key, delayMs),
    };
  }
}

function controllerRefOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((ref) => ref.controller);
}
