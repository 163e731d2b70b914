/**
 * `kubectl apply -f` of a `kind: List`: kubectl validates Lists client side against
 * /openapi/v2, which it fetches in gnostic's protobuf encoding.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';

const NS = 'lists';
let cluster: TestCluster;

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: NS },
  data,
});

const deployment = (spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: NS },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'main', image: 'busybox:1.35', ports: [{ containerPort: 80 }] }] },
    },
    ...spec,
  },
});

const list = (...items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

beforeAll(async () => {
  cluster = await startTestCluster({ upFlags: ['--runtime', 'fake'] });
  await cluster.kubectl(['create', 'namespace', NS]);
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('kubectl apply of a List', () => {
  it('creates every item, then reports them unchanged or configured', async () => {
    const first = list(configMap('a', { x: '1' }), configMap('b', { y: '2' }), deployment());
    const created = await cluster.kubectl(['apply', '-f', '-'], { input: first });
    expect(created.trim().split('\n')).toEqual([
      'configmap/a created',
      'configmap/b created',
      'deployment.apps/web created',
    ]);
    const again = await cluster.kubectl(['apply', '-f', '-'], { input: first });
    expect(again.trim().split('\n')).toEqual([
      'configmap/a unchanged',
      'configmap/b unchanged',
      'deployment.apps/web unchanged',
    ]);
    const changed = list(configMap('a', { x: '9' }), configMap('b', { y: '2' }), deployment({ replicas: 2 }));
    const updated = await cluster.kubectl(['apply', '-f', '-'], { input: changed });
    expect(updated.trim().split('\n')).toEqual([
      'configmap/a configured',
      'configmap/b unchanged',
      'deployment.apps/web configured',
    ]);
    expect(await cluster.kubectl(['get', 'cm', 'a', '-n', NS, '-o', 'jsonpath={.data.x}'])).toBe('9');
    expect(await cluster.kubectl(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
  });

  it('refuses a List with an unknown field client side and creates nothing', async () => {
    const bad = list(configMap('c', { z: '3' }), deployment({ bogus: true }));
    const result = await cluster.kubectl.result(['apply', '-f', '-'], { input: bad });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      'error validating data: ValidationError(Deployment.spec): unknown field "bogus" in io.k8s.api.apps.v1.DeploymentSpec',
    );
    const missing = await cluster.kubectl.result(['get', 'cm', 'c', '-n', NS]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('configmaps "c" not found');
  });

  it('round-trips `kubectl get -o yaml` (a List) through apply', async () => {
    const yaml = await cluster.kubectl(['get', 'cm', 'a', 'b', '-n', NS, '-o', 'yaml']);
    expect(yaml).toMatch(/^kind: List$/m);
    const applied = await cluster.kubectl(['apply', '-f', '-'], { input: yaml });
    expect(applied.trim().split('\n')).toEqual(['configmap/a configured', 'configmap/b configured']);
    expect(await cluster.kubectl(['get', 'cm', 'a', '-n', NS, '-o', 'jsonpath={.data.x}'])).toBe('9');
  });
});
