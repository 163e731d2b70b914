/**
 * 200+ malformed or invalid requests: each gets a 4xx Status (the exact code where
 * kube-apiserver's is certain), the server stays up, and nothing is stored: no object of
 * the collections they aim at was written after them. (The store's revision itself moves
 * meanwhile: the kubelet and the controller-manager renew their Leases.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badRequests } from './harness/bad-requests.js';
import { startTestCluster, type TestCluster } from './harness/cluster.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
  await cluster.api.json('/api/v1/namespaces', {
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bad' } }),
  });
  await cluster.api.json('/api/v1/namespaces/bad/configmaps', {
    method: 'POST',
    contentType: 'application/json',
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'existing' }, data: { a: 'b' } }),
  });
});
afterAll(async () => {
  await cluster?.destroy();
});

/** A list's resourceVersion is the store's newest revision: any write anywhere moves it. */
async function storeRevision(): Promise<number> {
  const list = await cluster.api.json<{ metadata: { resourceVersion: string } }>('/api/v1/namespaces');
  return Number(list.metadata.resourceVersion);
}

/** Every collection the bad requests aim at. */
const TARGETS = [
  '/api/v1/namespaces',
  '/api/v1/persistentvolumes',
  ...['configmaps', 'pods', 'services', 'serviceaccounts', 'secrets'].map((r) => `/api/v1/namespaces/bad/${r}`),
  '/apis/apps/v1/namespaces/bad/deployments',
  '/apis/batch/v1/namespaces/bad/jobs',
  '/apis/coordination.k8s.io/v1/namespaces/bad/leases',
];

/** The newest revision at which any object of those collections was written. */
async function newestTargetWrite(): Promise<number> {
  let newest = 0;
  for (const path of TARGETS) {
    const list = await cluster.api.json<{ items: Array<{ metadata: { resourceVersion: string } }> }>(path);
    for (const item of list.items) newest = Math.max(newest, Number(item.metadata.resourceVersion));
  }
  return newest;
}

describe('malformed and invalid requests', () => {
  it('each get a 4xx Status, the server stays up, nothing is stored', async () => {
    const cases = badRequests();
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const revisionBefore = await storeRevision();
    const existingBefore = await cluster.api.request('/api/v1/namespaces/bad/configmaps/existing');

    const wrong: string[] = [];
    for (const c of cases) {
      let status: number;
      let body: string;
      try {
        const res = await cluster.api.request(c.path, {
          method: c.method,
          ...(c.body !== undefined ? { body: c.body } : {}),
          ...(c.contentType !== undefined ? { contentType: c.contentType } : {}),
          ...(c.token !== undefined ? { token: c.token } : {}),
        });
        status = res.status;
        body = res.body;
      } catch (err) {
        wrong.push(`${c.what}: no answer (${err instanceof Error ? err.message : String(err)})`);
        continue;
      }
      const expected = c.code === undefined ? 'a 4xx' : String(c.code);
      if (status < 400 || status > 499 || (c.code !== undefined && status !== c.code)) {
        wrong.push(`${c.what}: ${status} instead of ${expected}: ${body.slice(0, 200)}`);
        continue;
      }
      let parsed: { kind?: string; code?: number } | undefined;
      try {
        parsed = JSON.parse(body) as { kind?: string; code?: number };
      } catch {
        parsed = undefined;
      }
      if (parsed?.kind !== 'Status' || parsed.code !== status) {
        wrong.push(`${c.what}: ${status} without a matching Status body: ${body.slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);

    expect((await cluster.api.request('/readyz')).status).toBe(200);
    expect(await newestTargetWrite()).toBeLessThanOrEqual(revisionBefore);
    const existingAfter = await cluster.api.request('/api/v1/namespaces/bad/configmaps/existing');
    expect(existingAfter.body).toBe(existingBefore.body);
    const configMaps = await cluster.api.json<{ items: Array<{ metadata: { name: string } }> }>(
      '/api/v1/namespaces/bad/configmaps',
    );
    expect(configMaps.items.map((item) => item.metadata.name)).toEqual(['existing']);
    const namespaces = await cluster.api.json<{ items: Array<{ metadata: { name: string } }> }>('/api/v1/namespaces');
    expect(namespaces.items.map((item) => item.metadata.name).sort()).toEqual([
      'bad',
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
  });
});
