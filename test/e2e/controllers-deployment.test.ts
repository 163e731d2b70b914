/**
 * Issue 5, acceptance 1-4: a Deployment on a real cluster driven by kubectl 1.35: ready
 * pods and `rollout status`, replacement and scaling, a rolling update that keeps enough
 * pods serving, history and undo, and a rollout that stalls on an image that cannot be
 * pulled until its progress deadline passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { manifest } from './harness/manifests.js';
import { isRunning } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';
import {
  activePods,
  envOf,
  getDeployment,
  isServing,
  listPods,
  listReplicaSets,
  watchServingPods,
} from './harness/workloads.js';

const NS = 'rollout';
const APP = 'app=web';
const ROLLOUT_TIMEOUT = '50s';
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.kubectl(['create', 'namespace', NS]);
});
afterAll(async () => {
  await cluster?.destroy();
});

const rolloutStatus = () =>
  cluster.kubectl.result(['rollout', 'status', 'deploy/web', '-n', NS, `--timeout=${ROLLOUT_TIMEOUT}`]);

async function expectRolledOut(): Promise<void> {
  const status = await rolloutStatus();
  expect(status.stderr).toBe('');
  expect(status.stdout).toContain('deployment "web" successfully rolled out');
  expect(status.code).toBe(0);
}

/** Waits until exactly `count` pods exist (none left terminating), all serving, and stay so a moment. */
async function expectExactly(count: number): Promise<void> {
  const settled = async () => {
    const pods = await listPods(cluster, NS, APP);
    return pods.length === count && pods.every(isServing);
  };
  await waitUntil(`exactly ${count} serving pods`, settled, 40_000, 250);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(await settled()).toBe(true);
}

const hashOf = (labels: Record<string, string> | undefined) => labels?.['pod-template-hash'];

describe('acceptance: a Deployment through its rollouts', () => {
  it('1: applies a 3-replica Deployment: 3 pods Running and Ready, rollout status exits 0', async () => {
    expect(await cluster.kubectl(['apply', '-n', NS, '-f', manifest('rollout')])).toContain(
      'deployment.apps/web created',
    );
    await expectRolledOut();
    const pods = await activePods(cluster, NS, APP);
    expect(pods).toHaveLength(3);
    expect(pods.every((pod) => isRunning(pod) && isServing(pod))).toBe(true);
    const [replicaSet, ...others] = await listReplicaSets(cluster, NS, APP);
    expect(others).toEqual([]);
    expect(replicaSet?.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      controller: true,
    });
    expect(pods.every((pod) => hashOf(pod.metadata?.labels) === hashOf(replicaSet?.metadata?.labels))).toBe(true);
  });

  it('2: replaces a deleted pod, and scales to exactly 5, then 2', async () => {
    const [victim] = await activePods(cluster, NS, APP);
    const name = victim?.metadata?.name ?? '';
    await cluster.kubectl(['delete', 'pod', name, '-n', NS]);
    await expectExactly(3);
    expect((await listPods(cluster, NS, APP)).map((pod) => pod.metadata?.name)).not.toContain(name);

    expect(await cluster.kubectl(['scale', 'deploy/web', '-n', NS, '--replicas=5'])).toContain(
      'deployment.apps/web scaled',
    );
    await expectRolledOut();
    await expectExactly(5);

    await cluster.kubectl(['scale', 'deploy/web', '-n', NS, '--replicas=2']);
    await expectExactly(2);
    const deploy = await getDeployment(cluster, NS, 'web');
    expect(deploy.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2 });
  });

  it('3: set env rolls out keeping every pod serving, lists both revisions, and undo brings the old template back', async () => {
    await cluster.kubectl(['scale', 'deploy/web', '-n', NS, '--replicas=3']);
    await expectExactly(3);
    const [original] = await listReplicaSets(cluster, NS, APP);
    // 3 replicas, maxUnavailable 25% (rounded down: 0), maxSurge 25% (rounded up: 1).
    const watcher = watchServingPods(cluster, NS, APP);
    let counts: number[];
    try {
      await watcher.opened;
      await waitUntil('the watch to list the 3 serving pods', () => watcher.countsSince(0).at(-1) === 3);
      const from = watcher.events;
      await cluster.kubectl(['set', 'env', 'deploy/web', '-n', NS, 'GREETING=v2']);
      await expectRolledOut();
      counts = watcher.countsSince(from);
    } finally {
      watcher.stop();
    }
    expect(counts.length).toBeGreaterThan(0);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);

    await expectExactly(3);
    const sets = await listReplicaSets(cluster, NS, APP);
    const scaledUp = sets.filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    expect(scaledUp).toHaveLength(1);
    expect(scaledUp[0]?.metadata?.name).not.toBe(original?.metadata?.name);
    const pods = await activePods(cluster, NS, APP);
    expect(pods.every((pod) => hashOf(pod.metadata?.labels) === hashOf(scaledUp[0]?.metadata?.labels))).toBe(true);
    expect(pods.map(envOf)).toEqual([['GREETING=v2'], ['GREETING=v2'], ['GREETING=v2']]);

    const history = await cluster.kubectl(['rollout', 'history', 'deploy/web', '-n', NS]);
    expect(history).toMatch(/^REVISION\s+CHANGE-CAUSE$/m);
    expect(history).toMatch(/^1\s+<none>$/m);
    expect(history).toMatch(/^2\s+<none>$/m);
    expect(await cluster.kubectl(['rollout', 'history', 'deploy/web', '-n', NS, '--revision=2'])).toContain(
      'GREETING:\tv2',
    );

    expect(await cluster.kubectl(['rollout', 'undo', 'deploy/web', '-n', NS])).toContain(
      'deployment.apps/web rolled back',
    );
    await expectRolledOut();
    await expectExactly(3);
    const back = (await listReplicaSets(cluster, NS, APP)).filter((rs) => (rs.spec?.replicas ?? 0) > 0);
    expect(back.map((rs) => rs.metadata?.name)).toEqual([original?.metadata?.name]);
    expect(back[0]?.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect((await activePods(cluster, NS, APP)).map(envOf)).toEqual([[], [], []]);
    const after = await cluster.kubectl(['rollout', 'history', 'deploy/web', '-n', NS]);
    expect(after).toMatch(/^2\s+<none>$/m);
    expect(after).toMatch(/^3\s+<none>$/m);
  });

  it('4: stalls on an image that cannot be pulled without taking old pods down; Progressing turns False after the deadline', async () => {
    await cluster.kubectl([
      'patch',
      'deploy/web',
      '-n',
      NS,
      '--type=merge',
      '-p',
      '{"spec":{"progressDeadlineSeconds":10}}',
    ]);
    await expectRolledOut();
    const watcher = watchServingPods(cluster, NS, APP);
    let counts: number[];
    try {
      await watcher.opened;
      await waitUntil('the watch to list the 3 serving pods', () => watcher.countsSince(0).at(-1) === 3);
      const from = watcher.events;
      // A registry on loopback where nothing listens: the pull fails without leaving the host.
      await cluster.kubectl(['set', 'image', 'deploy/web', '-n', NS, 'web=127.0.0.1:9/tkube/missing:1']);
      await waitUntil(
        'Progressing=False with ProgressDeadlineExceeded',
        async () => {
          const conditions = (await getDeployment(cluster, NS, 'web')).status?.conditions ?? [];
          const progressing = conditions.find((c) => c.type === 'Progressing');
          return progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded';
        },
        45_000,
        500,
      );
      counts = watcher.countsSince(from);
    } finally {
      watcher.stop();
    }
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(3);

    const pods = await activePods(cluster, NS, APP);
    const stuck = pods.filter((pod) => pod.spec?.containers[0]?.image === '127.0.0.1:9/tkube/missing:1');
    expect(stuck.length).toBe(1);
    const waiting = stuck[0]?.status?.containerStatuses?.[0]?.state?.waiting?.reason;
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(waiting);
    expect(pods.filter((pod) => pod.spec?.containers[0]?.image === 'busybox:1.35' && isServing(pod))).toHaveLength(3);

    const status = await rolloutStatus();
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('deployment "web" exceeded its progress deadline');
  });
});
