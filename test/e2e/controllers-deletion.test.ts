/**
 * Issue 5, acceptance 5: `kubectl delete deploy` removes its ReplicaSets and pods (in the
 * background, or in the foreground with the Deployment waiting for them); --cascade=orphan
 * leaves them; deleting a namespace removes everything in it, and it stays Terminating and
 * refuses new objects meanwhile.
 */
import type { KubeObject } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { containersLabelled } from './harness/host.js';
import { applyObjects, BUSYBOX } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';
import { activePods, isServing, listPods, listReplicaSets } from './harness/workloads.js';

const NS = 'cascade';
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.kubectl(['create', 'namespace', NS]);
});
afterAll(async () => {
  await cluster?.destroy();
});

function deployment(name: string, namespace: string, replicas = 2): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }],
        },
      },
    },
  };
}

async function deployServing(name: string, namespace = NS, replicas = 2): Promise<void> {
  await applyObjects(cluster, deployment(name, namespace, replicas));
  await waitUntil(
    `${replicas} serving pods of ${name}`,
    async () => {
      const pods = await activePods(cluster, namespace, `app=${name}`);
      return pods.length === replicas && pods.every(isServing);
    },
    40_000,
    250,
  );
}

async function waitForNothingLeft(name: string, namespace = NS): Promise<void> {
  await waitUntil(
    `the ReplicaSets and pods of ${name} to be gone`,
    async () =>
      (await listReplicaSets(cluster, namespace, `app=${name}`)).length === 0 &&
      (await listPods(cluster, namespace, `app=${name}`)).length === 0,
    40_000,
    250,
  );
}

describe('acceptance 5: deleting owners', () => {
  it('kubectl delete deploy removes its ReplicaSets and pods', async () => {
    await deployServing('gone');
    expect(await cluster.kubectl(['delete', 'deploy', 'gone', '-n', NS])).toContain('deployment.apps "gone" deleted');
    await waitForNothingLeft('gone');
  });

  it('--cascade=foreground keeps the Deployment, with its finalizer, until its dependents are gone', async () => {
    await deployServing('fore');
    await cluster.kubectl(['delete', 'deploy', 'fore', '-n', NS, '--cascade=foreground', '--wait=false']);
    const meanwhile = JSON.parse(
      await cluster.kubectl(['get', 'deploy', 'fore', '-n', NS, '-o', 'json']),
    ) as KubeObject;
    expect(meanwhile.metadata?.deletionTimestamp).toBeDefined();
    expect(meanwhile.metadata?.finalizers).toContain('foregroundDeletion');
    await waitForNothingLeft('fore');
    await waitUntil(
      'the Deployment to go after its dependents',
      async () => (await cluster.kubectl.result(['get', 'deploy', 'fore', '-n', NS])).code !== 0,
      20_000,
      250,
    );
  });

  it('--cascade=orphan leaves the ReplicaSet and its pods, no longer owned by the Deployment', async () => {
    await deployServing('kept');
    const before = (await activePods(cluster, NS, 'app=kept')).map((pod) => pod.metadata?.uid).sort();
    await cluster.kubectl(['delete', 'deploy', 'kept', '-n', NS, '--cascade=orphan']);
    // Long enough for a collector that would wrongly remove them.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sets = await listReplicaSets(cluster, NS, 'app=kept');
    expect(sets).toHaveLength(1);
    expect(sets[0]?.metadata?.ownerReferences ?? []).toEqual([]);
    const pods = await activePods(cluster, NS, 'app=kept');
    expect(pods.map((pod) => pod.metadata?.uid).sort()).toEqual(before);
    expect(pods.every((pod) => pod.metadata?.ownerReferences?.[0]?.name === sets[0]?.metadata?.name)).toBe(true);
  });

  it('deleting a namespace removes everything in it; meanwhile it is Terminating and refuses new objects', async () => {
    const doomed = 'doomed';
    await cluster.kubectl(['create', 'namespace', doomed]);
    await deployServing('web', doomed);
    await cluster.kubectl(['create', 'configmap', 'settings', '-n', doomed, '--from-literal=a=b']);
    await cluster.kubectl(['create', 'service', 'clusterip', 'web', '-n', doomed, '--tcp=80:8080']);
    expect(await containersLabelled(`io.kubernetes.pod.namespace=${doomed}`)).not.toEqual([]);

    await cluster.kubectl(['delete', 'namespace', doomed, '--wait=false']);
    expect(await cluster.kubectl(['get', 'namespace', doomed, '-o', 'jsonpath={.status.phase}'])).toBe('Terminating');
    const refused = await cluster.kubectl.result(['create', 'configmap', 'late', '-n', doomed]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `configmaps "late" is forbidden: unable to create new content in namespace ${doomed} because it is being terminated`,
    );

    await waitUntil(
      'the namespace to be gone',
      async () => (await cluster.kubectl.result(['get', 'namespace', doomed])).code !== 0,
      60_000,
      500,
    );
    const gone = await cluster.kubectl.result(['get', 'namespace', doomed]);
    expect(gone.stderr).toContain(`namespaces "${doomed}" not found`);
    const left = await cluster.kubectl(['get', 'all,cm', '-n', doomed, '-o', 'name']);
    expect(left).toBe('');
    await waitUntil(
      'the containers of the namespace to be removed',
      async () => (await containersLabelled(`io.kubernetes.pod.namespace=${doomed}`)).length === 0,
      20_000,
      500,
    );
  });
});
