import type { Deployment, ReplicaSet } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { SharedInformers } from '../framework/shared-informers.js';
import { FakeClient } from '../framework/testing/fake-client.js';
import { silentLogger } from '../framework/testing/silent-logger.js';
import type { RunningController } from '../framework/types.js';
import { REVISION_ANNOTATION } from './annotations.js';
import { DEPLOYMENTS, DeploymentController, REPLICASETS } from './deployment-controller.js';
import { deployment } from './testing/fixtures.js';

const NS = 'default';

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const running: { controller: RunningController; informers: SharedInformers }[] = [];

async function setUp(): Promise<FakeClient> {
  const client = new FakeClient();
  const informers = new SharedInformers({ client });
  const controller = new DeploymentController({ client, informers, logger: silentLogger, workers: 2 });
  informers.start();
  await informers.waitForSync();
  running.push({ controller: controller.run(), informers });
  return client;
}

afterEach(async () => {
  for (const { controller, informers } of running.splice(0)) {
    await controller.stop();
    await informers.stop();
  }
});

/** The Deployment as a user sends it: the server assigns uid, generation and resourceVersion. */
function unsaved(d: Deployment): Deployment {
  return { ...d, metadata: { name: 'web', namespace: NS } };
}

const replicaSetsOf = (client: FakeClient) => client.all<ReplicaSet>(REPLICASETS, NS);
const stored = (client: FakeClient) => client.peek<Deployment>(DEPLOYMENTS, NS, 'web');

describe('DeploymentController', () => {
  it('creates the first ReplicaSet and reports the rollout complete once its pods are available', async () => {
    const client = await setUp();
    await client.create({ ...DEPLOYMENTS, namespace: NS }, unsaved(deployment({ replicas: 3 })));

    await until(() => replicaSetsOf(client).length === 1);
    const [rs] = replicaSetsOf(client);
    expect(rs?.spec?.replicas).toBe(3);
    expect(rs?.metadata?.annotations?.[REVISION_ANNOTATION]).toBe('1');
    expect(rs?.metadata?.ownerReferences?.[0]?.uid).toBe(stored(client)?.metadata?.uid);
    await until(() => stored(client)?.metadata?.annotations?.[REVISION_ANNOTATION] === '1');

    // The ReplicaSet controller's report: three pods, all available.
    if (!rs) throw new Error('no ReplicaSet');
    const current = client.peek<ReplicaSet>(REPLICASETS, NS, rs.metadata?.name ?? '') ?? rs;
    await client.updateStatus(
      { ...REPLICASETS, namespace: NS },
      { ...current, status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 } },
    );
    await until(() => stored(client)?.status?.availableReplicas === 3);
    expect(stored(client)?.status).toMatchObject({ replicas: 3, updatedReplicas: 3, observedGeneration: 1 });
    await until(
      () =>
        stored(client)?.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'NewReplicaSetAvailable',
    );
  });

  it('records the revision with the status: a new Deployment stays at generation 1, as in kube', async () => {
    const client = await setUp();
    await client.create({ ...DEPLOYMENTS, namespace: NS }, unsaved(deployment({ replicas: 1 })));

    await until(() => stored(client)?.status?.observedGeneration !== undefined);
    await until(() => stored(client)?.metadata?.annotations?.[REVISION_ANNOTATION] === '1');
    expect(stored(client)?.metadata?.generation).toBe(1);
    expect(stored(client)?.status?.observedGeneration).toBe(1);
    const mainWrites = client.writes.filter(
      (w) => w.resource === DEPLOYMENTS.resource && (w.verb === 'update' || w.verb === 'patch'),
    );
    expect(mainWrites).toEqual([]);
  });

  it('adopts a matching orphan ReplicaSet whose template is the Deployment’s', async () => {
    const client = await setUp();
    const d = deployment({ replicas: 2 });
    const orphan: ReplicaSet = {
      metadata: { name: 'web-orphan', namespace: NS, labels: { app: 'web' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: d.spec?.template },
    };
    client.seed({ ...REPLICASETS, namespace: NS }, orphan);
    await client.create({ ...DEPLOYMENTS, namespace: NS }, unsaved(d));

    await until(() => replicaSetsOf(client)[0]?.metadata?.ownerReferences?.[0]?.kind === 'Deployment');
    await until(() => replicaSetsOf(client)[0]?.metadata?.annotations?.[REVISION_ANNOTATION] === '1');
    expect(replicaSetsOf(client)).toHaveLength(1);
  });
});
