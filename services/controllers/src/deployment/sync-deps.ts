/**
 * What the Deployment sync needs from the world: reads from the informers' caches and
 * writes through the apiserver. An interface so tests drive the sync with in-memory fakes.
 */
import type { Deployment, Pod, ReplicaSet } from '@tkube/api';

export interface DeploymentReads {
  getDeployment(namespace: string, name: string): Deployment | undefined;
  listReplicaSets(namespace: string): ReplicaSet[];
  listPods(namespace: string): Pod[];
}

export interface DeploymentWrites {
  createReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  /** Replaces the ReplicaSet (compare-and-set on its resourceVersion). */
  updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet>;
  deleteReplicaSet(namespace: string, name: string, uid: string): Promise<void>;
  /** Writes status and the revision annotation of the Deployment. */
  updateDeploymentStatus(deployment: Deployment): Promise<Deployment>;
}

export interface DeploymentSyncLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface DeploymentSyncDeps {
  reads: DeploymentReads;
  writes: DeploymentWrites;
  logger: DeploymentSyncLogger;
  now: () => Date;
  /** Look again later: for the progress deadline, which no event announces. */
  enqueueAfter: (key: string, delayMs: number) => void;
}
