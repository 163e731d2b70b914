/** @kubernetes/client-node (v2), the JavaScript ecosystem's client, against tkube: list, create, watch. */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { waitUntil } from './harness/wait.js';

const NS = 'from-js';
let cluster: TestCluster;
let config: k8s.KubeConfig;

beforeAll(async () => {
  cluster = await startTestCluster();
  config = new k8s.KubeConfig();
  config.loadFromFile(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('@kubernetes/client-node', () => {
  it('reads the kubeconfig tkube wrote and lists the system namespaces', async () => {
    expect(config.getCurrentContext()).toBe('tkube');
    const core = config.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespace();
    expect(list.items.map((ns) => ns.metadata?.name).sort()).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('creates a namespace, a ConfigMap and a Deployment with typed clients', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const apps = config.makeApiClient(k8s.AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    const cm = await core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'settings', labels: { app: 'js' } }, data: { mode: 'fast' } },
    });
    expect(cm.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    const deploy = await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: 'js-web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'js-web' } },
          template: {
            metadata: { labels: { app: 'js-web' } },
            spec: { containers: [{ name: 'main', image: 'busybox:1.35', command: ['sleep', '3600'] }] },
          },
        },
      },
    });
    expect(deploy.spec?.strategy?.type).toBe('RollingUpdate');
    expect(deploy.metadata?.generation).toBe(1);

    const configMaps = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'app=js' });
    expect(configMaps.items.map((item) => item.data)).toEqual([{ mode: 'fast' }]);
  });

  it('answers a duplicate create with an ApiException carrying the 409 Status', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const failure = await core
      .createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'settings' } } })
      .then(
        () => undefined,
        (err: unknown) => err,
      );
    expect(failure).toBeInstanceOf(k8s.ApiException);
    const apiError = failure as k8s.ApiException<string>;
    expect(apiError.code).toBe(409);
    expect(JSON.parse(apiError.body)).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', code: 409 });
  });

  it('watches: sees additions, changes and deletions made meanwhile', async () => {
    const core = config.makeApiClient(k8s.CoreV1Api);
    const start = await core.listNamespacedConfigMap({ namespace: NS });
    const events: string[] = [];
    let ended: unknown = 'open';
    const watch = new k8s.Watch(config);
    const controller = await watch.watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: start.metadata?.resourceVersion, allowWatchBookmarks: true },
      (phase, object: k8s.V1ConfigMap) => {
        if (phase !== 'BOOKMARK') events.push(`${phase} ${object.metadata?.name} ${JSON.stringify(object.data ?? {})}`);
      },
      (err) => {
        ended = err;
      },
    );
    try {
      await core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: 'watched' }, data: { v: '1' } },
      });
      await core.patchNamespacedConfigMap(
        { namespace: NS, name: 'watched', body: { data: { v: '2' } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ namespace: NS, name: 'watched' });
      await waitUntil('three watch events', () => events.length >= 3);
      // The watch stayed open throughout.
      expect(ended).toBe('open');
    } finally {
      controller.abort();
    }
    expect(events).toEqual(['ADDED watched {"v":"1"}', 'MODIFIED watched {"v":"2"}', 'DELETED watched {"v":"2"}']);
  });
});
