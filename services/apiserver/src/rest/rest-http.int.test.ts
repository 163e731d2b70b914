/**
 * HTTP-level behaviour of the REST server: watch streams, subresources, health, and the
 * @kubernetes/client-node client (ObjectSerializer, Watch) as the dashboard and e2e tests use it.
 */

import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseJson, type RawRequest, rawRequest } from './testing/https-client.js';
import { eventually } from './testing/kubectl.js';
import { startTestServer, TEST_TOKEN, type TestServer } from './testing/test-server.js';

const configmaps = '/api/v1/namespaces/default/configmaps';

/** Opens a watch and collects its lines until it ends or is aborted. */
function openWatch(t: TestServer, ca: string, path: string, accept = 'application/json') {
  const lines: LooseJson[] = [];
  let ended = false;
  let statusCode = 0;
  let contentType = '';
  const req = httpsRequest(
    new URL(path, t.server.url),
    { ca, headers: { authorization: `Bearer ${TEST_TOKEN}`, accept } },
    (res) => {
      statusCode = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          lines.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
        }
      });
      res.on('end', () => {
        ended = true;
      });
      res.on('error', () => {
        ended = true;
      });
    },
  );
  req.on('error', () => {
    ended = true;
  });
  req.end();
  return {
    lines,
    ended: () => ended,
    status: () => statusCode,
    contentType: () => contentType,
    abort: () => req.destroy(),
  };
}

describe('REST server over HTTP', () => {
  let t: TestServer;
  let ca: string;
  const raw = (req: RawRequest) => rawRequest(t.server.url, ca, TEST_TOKEN, req);
  const createConfigMap = (name: string) =>
    raw({
      method: 'POST',
      path: configmaps,
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } }),
    });

  beforeAll(async () => {
    t = await startTestServer({ maxBodyBytes: 64 * 1024 });
    ca = readFileSync(t.caFile, 'utf8');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers health and version without a token, discovery only with one', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const response = await raw({ path, token: null });
      expect([response.status, response.body]).toEqual([200, 'ok']);
    }
    expect((await raw({ path: '/version', token: null })).json().gitVersion).toBe('v1.35.0-tkube');
    expect((await raw({ path: '/apis', token: null })).status).toBe(401);
    const aggregated = await raw({
      path: '/apis',
      headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
    });
    expect(aggregated.headers['content-type']).toBe(
      'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
    );
    expect((await raw({ path: '/apis' })).json().kind).toBe('APIGroupList');
    const openapi = await raw({
      path: '/openapi/v2',
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(openapi.status).toBe(200);
    expect(openapi.headers['content-type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect((await raw({ path: '/openapi/v2', headers: { accept: 'text/html' } })).status).toBe(406);
  });

  it('reports not ready on /readyz while ready() is false', async () => {
    let ready = false;
    const other = await startTestServer({ ready: () => ready });
    try {
      const ask = () =>
        rawRequest(other.server.url, readFileSync(other.caFile, 'utf8'), TEST_TOKEN, { path: '/readyz', token: null });
      expect((await ask()).status).toBe(503);
      ready = true;
      expect((await ask()).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('streams watch events as they happen and ends at timeoutSeconds', async () => {
    const created = (await createConfigMap('watched-1')).json();
    const watch = openWatch(
      t,
      ca,
      `${configmaps}?watch=1&timeoutSeconds=2&resourceVersion=${created.metadata.resourceVersion}`,
    );
    await eventually(() => watch.status() === 200);
    expect(watch.contentType()).toBe('application/json');
    await createConfigMap('watched-2');
    await eventually(() => watch.lines.length >= 1);
    expect(watch.lines[0]).toMatchObject({
      type: 'ADDED',
      object: { kind: 'ConfigMap', metadata: { name: 'watched-2' } },
    });
    await eventually(() => watch.ended(), 5000);
  });

  it('serves the legacy /watch/ paths and one-object watches, as Tables when asked', async () => {
    const legacy = openWatch(t, ca, '/api/v1/watch/namespaces/default/configmaps?timeoutSeconds=1');
    await eventually(() => legacy.lines.length >= 2);
    expect(legacy.lines.map((l) => l.type)).toEqual(['ADDED', 'ADDED']);
    const table = openWatch(
      t,
      ca,
      `${configmaps}/watched-1?watch=true&timeoutSeconds=1`,
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    );
    await eventually(() => table.ended(), 5000);
    expect(table.lines).toHaveLength(1);
    expect(table.lines[0].object).toMatchObject({
      kind: 'Table',
      rows: [{ cells: ['watched-1', 1, expect.any(String)] }],
    });
    expect(table.lines[0].object.columnDefinitions.map((c: LooseJson) => c.name)).toEqual(['Name', 'Data', 'Age']);
  });

  it('stops a watch when the client goes away', async () => {
    const watch = openWatch(t, ca, `${configmaps}?watch=1`);
    await eventually(() => watch.lines.length >= 2);
    watch.abort();
    await eventually(() => watch.ended());
    expect((await raw({ path: '/healthz' })).body).toBe('ok');
  });

  it('serves status and scale subresources', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scaled' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 's' } },
        template: { metadata: { labels: { app: 's' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.35' }] } },
      },
    };
    const base = '/apis/apps/v1/namespaces/default/deployments';
    expect((await raw({ method: 'POST', path: base, body: JSON.stringify(deployment) })).status).toBe(201);
    const scale = (await raw({ path: `${base}/scaled/scale` })).json();
    expect(scale).toMatchObject({
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      spec: { replicas: 2 },
      status: { selector: 'app=s' },
    });
    const put = await raw({
      method: 'PUT',
      path: `${base}/scaled/scale`,
      body: JSON.stringify({ ...scale, spec: { replicas: 4 } }),
    });
    expect(put.json().spec.replicas).toBe(4);
    const stale = await raw({
      method: 'PUT',
      path: `${base}/scaled/scale`,
      body: JSON.stringify({ ...scale, spec: { replicas: 1 } }),
    });
    expect(stale.status).toBe(409);
    const patched = await raw({
      method: 'PATCH',
      path: `${base}/scaled/scale`,
      body: '[{"op":"replace","path":"/spec/replicas","value":6}]',
      headers: { 'content-type': 'application/json-patch+json' },
    });
    expect(patched.json().spec.replicas).toBe(6);
    const status = await raw({
      method: 'PATCH',
      path: `${base}/scaled/status`,
      body: JSON.stringify({ status: { readyReplicas: 1, replicas: 1 } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(status.status).toBe(200);
    const object = (await raw({ path: `${base}/scaled` })).json();
    expect(object.spec.replicas).toBe(6);
    expect(object.status.readyReplicas).toBe(1);
    expect((await raw({ method: 'GET', path: '/api/v1/namespaces/default/configmaps/watched-1/scale' })).status).toBe(
      404,
    );
  });

  it('refuses a body over maxBodyBytes with 413 and keeps serving', async () => {
    const big = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { a: 'x'.repeat(100 * 1024) },
    });
    const response = await raw({ method: 'POST', path: configmaps, body: big });
    expect(response.status).toBe(413);
    expect(response.json().message).toBe(`Request entity too large: limit is ${64 * 1024}`);
    expect((await raw({ path: `${configmaps}/big` })).status).toBe(404);
  });

  it('works with @kubernetes/client-node', async () => {
    const config = new k8s.KubeConfig();
    config.loadFromFile(t.kubeconfig);
    const core = config.makeApiClient(k8s.CoreV1Api);
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((n) => n.metadata?.name)).toContain('kube-system');
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'from-client' }, data: { a: '1' } },
    });
    expect(created.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedConfigMap({ name: 'from-client', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });
    const events: string[] = [];
    const watch = new k8s.Watch(config);
    const controller = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: read.metadata?.resourceVersion },
      (phase, object) => events.push(`${phase} ${object.metadata.name}`),
      () => undefined,
    );
    try {
      await core.replaceNamespacedConfigMap({
        name: 'from-client',
        namespace: 'default',
        body: { ...read, data: { a: '2' } },
      });
      await core.deleteNamespacedConfigMap({ name: 'from-client', namespace: 'default' });
      await eventually(() => events.length >= 2);
      expect(events).toEqual(['MODIFIED from-client', 'DELETED from-client']);
    } finally {
      controller.abort();
    }
  });
});
