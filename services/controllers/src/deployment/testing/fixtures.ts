/** Builders for Deployments and ReplicaSets in tests. */
import type { Deployment, PodTemplateSpec, ReplicaSet } from '@tkube/api';

export function template(image = 'busybox:1.35'): PodTemplateSpec {
  return { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } };
}

export interface DeploymentShape {
  replicas?: number;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  strategy?: 'RollingUpdate' | 'Recreate';
  image?: string;
  generation?: number;
  paused?: boolean;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
}

export function deployment(shape: DeploymentShape = {}): Deployment {
  const strategy = shape.strategy ?? 'RollingUpdate';
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'd-uid',
      generation: shape.generation ?? 1,
      resourceVersion: '1',
    },
    spec: {
      replicas: shape.replicas ?? 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(shape.image),
      strategy:
        strategy === 'Recreate'
          ? { type: 'Recreate' }
          : {
              type: 'RollingUpdate',
              rollingUpdate: { maxSurge: shape.maxSurge ?? '25%', maxUnavailable: shape.maxUnavailable ?? '25%' },
            },
      revisionHistoryLimit: shape.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: shape.progressDeadlineSeconds ?? 600,
      ...(shape.paused ? { paused: true } : {}),
    },
  };
}

export interface ReplicaSetShape {
  name: string;
  replicas: number;
  available?: number;
  image?: string;
  revision?: number;
  created?: string;
  annotations?: Record<string, string>;
}

export function replicaSet(shape: ReplicaSetShape): ReplicaSet {
  const annotations: Record<string, string> = { ...shape.annotations };
  if (shape.revision !== undefined) annotations['deployment.kubernetes.io/revision'] = String(shape.revision);
  return {
    metadata: {
      name: shape.name,
      namespace: 'default',
      uid: `${shape.name}-uid`,
      creationTimestamp: shape.created ?? '2026-01-01T00:00:00Z',
      annotations,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true }],
    },
    spec: { replicas: shape.replicas, selector: { matchLabels: { app: 'web' } }, template: template(shape.image) },
    status: {
      replicas: shape.replicas,
      readyReplicas: shape.available ?? shape.replicas,
      availableReplicas: shape.available ?? shape.replicas,
    },
  };
}
