/**
 * An in-memory cluster for sync tests: the Deployment's reads and writes over plain maps,
 * and a stand-in for the ReplicaSet controller that makes pods appear (and, optionally,
 * become available) at once.
 */
import type { Deployment, Pod, ReplicaSet } from '@tkube/api';
import { StatusError } from '@tkube/api';
import type { DeploymentSyncDeps } from '../sync-deps.js';

export class FakeCluster {
  readonly deployments = new Map<string, Deployment>();
  readonly replicaSets = new Map<string, ReplicaSet>();
  readonly pods = new Map<string, Pod>();
  readonly requeued: { key: string; delayMs: number }[] = [];
  /** Images whose pods never become available (an image that cannot be pulled). */
  readonly brokenImages = new Set<string>();
  now = new Date('2026-01-01T00:00:00Z');
  private sequence = 0;

  readonly deps: DeploymentSyncDeps = {
    reads: {
      getDeployment: (namespace, name) => this.deployments.get(`${namespace}/${name}`),
      listReplicaSets: (namespace) =>
        [...this.replicaSets.values()].filter((rs) => rs.metadata?.namespace === namespace),
      listPods: (namespace) => [...this.pods.values()].filter((pod) => pod.metadata?.namespace === namespace),
    },
    writes: {
      createReplicaSet: async (rs) => {
        const key = keyOf(rs);
        if (this.replicaSets.has(key)) {
          throw StatusError.alreadyExists({ group: 'apps', resource: 'replicasets', name: rs.metadata?.name ?? '' });
        }
        const created = structuredClone(rs);
        this.sequence++;
        created.metadata = {
          ...created.metadata,
          uid: `rs-uid-${this.sequence}`,
          generation: 1,
          resourceVersion: String(this.sequence),
          creationTimestamp: new Date(this.now.getTime() + this.sequence * 1000).toISOString(),
        };
        this.replicaSets.set(key, created);
        return structuredClone(created);
      },
      updateReplicaSet: async (rs) => {
        const stored = this.replicaSets.get(keyOf(rs));
        if (!stored)
          throw StatusError.notFound({ group: 'apps', resource: 'replicasets', name: rs.metadata?.name ?? '' });
        const updated = structuredClone(rs);
        updated.status = stored.status;
        this.sequence++;
        updated.metadata = { ...updated.metadata, resourceVersion: String(this.sequence) };
        this.replicaSets.set(keyOf(rs), updated);
        return structuredClone(updated);
      },
      deleteReplicaSet: async (namespace, name) => {
        this.replicaSets.delete(`${namespace}/${name}`);
      },
      updateDeploymentStatus: async (d) => {
        const stored = this.deployments.get(keyOf(d));
        if (!stored)
          throw StatusError.notFound({ group: 'apps', resource: 'deployments', name: d.metadata?.name ?? '' });
        this.sequence++;
        const updated: Deployment = {
          ...stored,
          metadata: {
            ...stored.metadata,
            annotations: d.metadata?.annotations,
            resourceVersion: String(this.sequence),
          },
          status: structuredClone(d.status),
        };
        this.deployments.set(keyOf(d), updated);
        return structuredClone(updated);
      },
    },
    logger: { info: () => {}, warn: () => {} },
    now: () => this.now,
    enqueueAfter: (key, delayMs) => this.requeued.push({ key, delayMs }),
  };

  apply(d: Deployment): void {
    const key = keyOf(d);
    const stored = this.deployments.get(key);
    const generation = (stored?.metadata?.generation ?? 0) + 1;
    this.deployments.set(key, {
      ...structuredClone(d),
      metadata: { ...d.metadata, generation, annotations: stored?.metadata?.annotations ?? d.metadata?.annotations },
      status: stored?.status ?? {},
    });
  }

  deployment(): Deployment {
    const d = this.deployments.get('default/web');
    if (!d) throw new Error('no deployment');
    return d;
  }

  /** The ReplicaSet controller's effect: pods match spec.replicas, available unless broken. */
  settle(): void {
    for (const rs of this.replicaSets.values()) {
      const replicas = rs.spec?.replicas ?? 0;
      const image = rs.spec?.template?.spec?.containers[0]?.image ?? '';
      const available = this.brokenImages.has(image) ? 0 : replicas;
      rs.status = {
        replicas,
        readyReplicas: available,
        availableReplicas: available,
        observedGeneration: rs.metadata?.generation ?? 0,
      };
    }
  }

  sorted(): ReplicaSet[] {
    return [...this.replicaSets.values()].sort((a, b) =>
      (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''),
    );
  }
}

function keyOf(object: Deployment | ReplicaSet): string {
  return `${object.metadata?.namespace}/${object.metadata?.name}`;
}
