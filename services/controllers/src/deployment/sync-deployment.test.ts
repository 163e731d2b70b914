import type { Deployment } from '@tkube/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './annotations.js';
import { POD_TEMPLATE_HASH_LABEL } from './pod-template-hash.js';
import { syncDeployment } from './sync-deployment.js';
import { FakeCluster } from './testing/fake-cluster.js';
import { type DeploymentShape, deployment } from './testing/fixtures.js';

let cluster: FakeCluster;

beforeEach(() => {
  cluster = new FakeCluster();
});

const sync = () => syncDeployment(cluster.deps, 'default', 'web');

/** Syncs and lets the ReplicaSet controller act until nothing changes; checks `each` after every sync. */
async function converge(each: () => void = () => {}): Promise<void> {
  for (let round = 0; round < 30; round++) {
    const before = JSON.stringify([...cluster.replicaSets.values(), cluster.deployment()]);
    await sync();
    each();
    cluster.settle();
    if (JSON.stringify([...cluster.replicaSets.values(), cluster.deployment()]) === before) return;
  }
  throw new Error('the deployment did not converge in 30 rounds');
}

function update(change: (d: Deployment) => void): void {
  const d = structuredClone(cluster.deployment());
  change(d);
  cluster.apply(d);
}

const sizes = () => cluster.sorted().map((rs) => rs.spec?.replicas);
const revisions = () => cluster.sorted().map((rs) => rs.metadata?.annotations?.[REVISION_ANNOTATION]);
const setImage = (image: string) => (d: Deployment) => {
  const container = d.spec?.template?.spec?.containers[0];
  if (container) container.image = image;
};

function start(shape: DeploymentShape): Promise<void> {
  cluster.apply(deployment(shape));
  return converge();
}

describe('a new Deployment', () => {
  it('gets a ReplicaSet with the hash label, revision 1 and every replica, and a finished status', async () => {
    await start({ replicas: 3 });
    const [rs] = cluster.sorted();
    const hash = rs?.spec?.template?.metadata?.labels?.[POD_TEMPLATE_HASH_LABEL];
    expect(hash).toBeTruthy();
    expect(rs?.metadata?.name).toBe(`web-${hash}`);
    expect(rs?.spec?.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH_LABEL]: hash });
    expect(rs?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', uid: 'd-uid', controller: true });
    expect(rs?.metadata?.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(rs?.spec?.replicas).toBe(3);

    const d = cluster.deployment();
    expect(d.metadata?.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(d.metadata?.generation).toBe(1);
    // What `kubectl rollout status` waits for.
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
    });
    const conditions = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, c.reason]));
    expect(conditions).toEqual({ Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
  });

  it('keeps the same hash when synced again', async () => {
    await start({ replicas: 2 });
    const names = cluster.sorted().map((rs) => rs.metadata?.name);
    await converge();
    expect(cluster.sorted().map((rs) => rs.metadata?.name)).toEqual(names);
  });
});

describe('a rolling update', () => {
  it('moves replicas to a second ReplicaSet within maxSurge and maxUnavailable', async () => {
    await start({ replicas: 4, maxSurge: 1, maxUnavailable: 1 });
    update(setImage('busybox:latest'));
    await converge(() => {
      const total = sizes().reduce((a = 0, b = 0) => a + b, 0) ?? 0;
      expect(total).toBeLessThanOrEqual(5);
      expect(total).toBeGreaterThanOrEqual(3);
    });
    expect(sizes()).toEqual([0, 4]);
    expect(revisions()).toEqual(['1', '2']);
    expect(cluster.deployment().status).toMatchObject({
      observedGeneration: 2,
      updatedReplicas: 4,
      availableReplicas: 4,
    });
    expect(cluster.deployment().metadata?.annotations?.[REVISION_ANNOTATION]).toBe('2');
  });

  it('stalls on pods that never become available, keeping the old ones, then reports the deadline', async () => {
    await start({ replicas: 3, maxSurge: 1, maxUnavailable: 0, progressDeadlineSeconds: 60 });
    cluster.brokenImages.add('busybox:missing');
    update(setImage('busybox:missing'));
    await converge();
    expect(sizes()).toEqual([3, 1]);
    const progressing = () => cluster.deployment().status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing()).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    expect(cluster.requeued.at(-1)?.key).toBe('default/web');

    cluster.now = new Date(cluster.now.getTime() + 61_000);
    await converge();
    expect(progressing()).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(sizes()).toEqual([3, 1]);
  });
});

describe('a hash collision', () => {
  it('bumps collisionCount and names the next ReplicaSet with a new hash', async () => {
    cluster.apply(deployment({ replicas: 1 }));
    await sync();
    const [first] = cluster.sorted();
    // Someone else's ReplicaSet with another template holds the name the hash gives.
    cluster.replicaSets.clear();
    const squatter = structuredClone(first);
    if (!squatter?.metadata || !squatter.spec) throw new Error('no ReplicaSet');
    squatter.metadata.ownerReferences = [];
    squatter.metadata.labels = { other: 'app' };
    squatter.spec.template = {
      metadata: { labels: { other: 'app' } },
      spec: { containers: [{ name: 'x', image: 'x' }] },
    };
    cluster.replicaSets.set(`default/${squatter.metadata.name}`, squatter);

    await expect(sync()).rejects.toThrow(/already exists/);
    expect(cluster.deployment().status?.collisionCount).toBe(1);
    await sync();
    const names = cluster.sorted().map((rs) => rs.metadata?.name);
    expect(names).toHaveLength(2);
    expect(names[1]).not.toBe(squatter.metadata.name);
  });
});

describe('Recreate', () => {
  it('scales the old ReplicaSet to zero and waits for its pods before the new one comes up', async () => {
    await start({ replicas: 3, strategy: 'Recreate' });
    const [old] = cluster.sorted();
    cluster.pods.set('default/old-pod', {
      metadata: {
        name: 'old-pod',
        namespace: 'default',
        labels: { app: 'web' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: old?.metadata?.uid ?? '', controller: true },
        ],
      },
      status: { phase: 'Running' },
    });
    update(setImage('busybox:latest'));
    await sync();
    expect(sizes()).toEqual([0]);
    cluster.settle();
    await sync();
    expect(sizes()).toEqual([0]); // a pod of the old ReplicaSet still runs
    cluster.pods.delete('default/old-pod');
    await converge();
    expect(sizes()).toEqual([0, 3]);
  });
});

describe('rollback by template', () => {
  it('reuses the old ReplicaSet as the new one and gives it the next revision', async () => {
    await start({ replicas: 2 });
    update(setImage('busybox:latest'));
    await converge();
    // What `kubectl rollout undo` does: put the old template back.
    update(setImage('busybox:1.35'));
    await converge();
    const [first, second] = cluster.sorted();
    expect(cluster.replicaSets.size).toBe(2);
    expect(first?.spec?.replicas).toBe(2);
    expect(first?.metadata?.annotations?.[REVISION_ANNOTATION]).toBe('3');
    expect(first?.metadata?.annotations?.[REVISION_HISTORY_ANNOTATION]).toBe('1');
    expect(second?.spec?.replicas).toBe(0);
    expect(cluster.deployment().metadata?.annotations?.[REVISION_ANNOTATION]).toBe('3');
  });
});

describe('revisionHistoryLimit', () => {
  it('deletes the oldest scaled-down ReplicaSets beyond the limit', async () => {
    await start({ replicas: 1, revisionHistoryLimit: 1 });
    for (const image of ['busybox:2', 'busybox:3', 'busybox:4']) {
      update(setImage(image));
      await converge();
    }
    expect(revisions()).toEqual(['3', '4']);
    expect(sizes()).toEqual([0, 1]);
  });
});

describe('a paused Deployment', () => {
  it('does not roll out a new template but still scales', async () => {
    await start({ replicas: 2 });
    update((d) => {
      if (d.spec) d.spec.paused = true;
      setImage('busybox:latest')(d);
    });
    await converge();
    expect(cluster.replicaSets.size).toBe(1);
    const progressing = cluster.deployment().status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });

    update((d) => {
      if (d.spec) d.spec.replicas = 5;
    });
    await converge();
    expect(sizes()).toEqual([5]);

    update((d) => {
      if (d.spec) d.spec.paused = false;
    });
    await converge();
    expect(sizes()).toEqual([0, 5]);
  });
});

describe('scaling mid-rollout', () => {
  it('spreads the change over the ReplicaSets in proportion', async () => {
    await start({ replicas: 10, maxSurge: 3, maxUnavailable: 2 });
    cluster.brokenImages.add('busybox:missing');
    update(setImage('busybox:missing'));
    await converge();
    // 13 pods allowed: the new ReplicaSet got 5, the old one went down to 8.
    expect(sizes()).toEqual([8, 5]);
    update((d) => {
      if (d.spec) d.spec.replicas = 20;
    });
    await sync();
    // Sized for 13, now 23: 8 -> round(8*23/13)=14, 5 -> 9 (the leftover to the largest).
    expect(sizes()).toEqual([14, 9]);
  });
});
