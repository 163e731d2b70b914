/**
 * The REST API driven by the real kubectl 1.35 over TLS, as a user would, plus a barrage
 * of malformed requests that must each be refused with a 4xx, store nothing and leave the
 * server answering.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseJson, type RawRequest, rawRequest } from './testing/https-client.js';
import { eventually, kubectl, kubectlStream } from './testing/kubectl.js';
import { startTestServer, TEST_TOKEN, type TestServer } from './testing/test-server.js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: busybox:1.35
        ports:
        - containerPort: 80
`;

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: my-service
spec:
  selector:
    app: nginx
  ports:
    - protocol: TCP
      port: 80
      targetPort: 9376
`;

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: game-demo
data:
  player_initial_lives: "3"
  ui_properties_file_name: "user-interface.properties"
`;

const SSA_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ssa-web
spec:
  selector:
    matchLabels:
      app: ssa-web
  template:
    metadata:
      labels:
        app: ssa-web
    spec:
      containers:
        - name: web
          image: busybox:1.35
`;

const SSA_CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: ssa-config
data:
  a: one
  b: two
`;

describe('REST API with kubectl 1.35', () => {
  let t: TestServer;
  let ca: string;
  const run = (...args: string[]) => kubectl(t.kubeconfig, args);
  const raw = (req: RawRequest) => rawRequest(t.server.url, ca, TEST_TOKEN, req);
  const manifest = (name: string, text: string) => {
    const file = join(t.dir, name);
    writeFileSync(file, text);
    return file;
  };

  beforeAll(async () => {
    t = await startTestServer();
    ca = readFileSync(t.caFile, 'utf8');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the system namespaces', async () => {
    const result = await run('get', 'ns');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^NAME\s+STATUS\s+AGE\n/);
    expect(result.stdout).toMatch(/\ndefault\s+Active\s+\d+s\n/);
    expect(result.stdout).toContain('kube-system');
  });

  it('reports its version and discovery to kubectl', async () => {
    const version = await run('version', '-o', 'json');
    expect(JSON.parse(version.stdout).serverVersion).toMatchObject({
      gitVersion: 'v1.35.0-tkube',
      major: '1',
      minor: '35',
    });
    const resources = await run('api-resources', '--api-group=apps', '-o', 'wide');
    expect(resources.stdout).toMatch(
      /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment\s+create,delete,deletecollection,get,list,patch,update,watch\s+all/,
    );
  });

  it('applies a Deployment, a Service and a ConfigMap and shows them back', async () => {
    const file = manifest('app.yaml', [DEPLOYMENT, SERVICE, CONFIGMAP].join('---\n'));
    const applied = await run('apply', '-f', file);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(
      'deployment.apps/nginx-deployment created\nservice/my-service created\nconfigmap/game-demo created\n',
    );
    const yaml = await run('get', 'deploy,svc,cm', '-o', 'yaml');
    expect(yaml.stdout).toContain('image: busybox:1.35');
    expect(yaml.stdout).toContain('replicas: 3');
    expect(yaml.stdout).toContain('targetPort: 9376');
    expect(yaml.stdout).toContain('player_initial_lives: "3"');
    expect(yaml.stdout).toContain('kubectl.kubernetes.io/last-applied-configuration');

    const table = await run('get', 'deploy');
    expect(table.stdout).toMatch(
      /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nnginx-deployment\s+0\/3\s+0\s+0\s+\d+s\n$/,
    );
    const wide = await run('get', 'deploy', '-o', 'wide');
    expect(wide.stdout).toMatch(/CONTAINERS\s+IMAGES\s+SELECTOR\n/);
    expect(wide.stdout).toMatch(/nginx\s+busybox:1.35\s+app=nginx\n/);
    const services = await run('get', 'svc', 'my-service');
    expect(services.stdout).toMatch(
      /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nmy-service\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\d+s\n$/,
    );
    const configmaps = await run('get', 'cm', 'game-demo');
    expect(configmaps.stdout).toMatch(/game-demo\s+2\s+\d+s/);
  });

  it('applies a changed manifest as a patch', async () => {
    const changed = DEPLOYMENT.replace('replicas: 3', 'replicas: 4').replace('busybox:1.35', 'busybox:latest');
    const file = manifest('deploy-changed.yaml', changed);
    const applied = await run('apply', '-f', file);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('deployment.apps/nginx-deployment configured\n');
    const unchanged = await run('apply', '-f', file);
    expect(unchanged.stdout).toBe('deployment.apps/nginx-deployment unchanged\n');
    const spec = JSON.parse((await run('get', 'deploy', 'nginx-deployment', '-o', 'json')).stdout).spec;
    expect(spec.replicas).toBe(4);
    expect(spec.template.spec.containers).toHaveLength(1);
    expect(spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'busybox:latest' });
  });

  it('applies server-side: creates, merges a changed configuration in, removes what it drops', async () => {
    const file = manifest('ssa.yaml', [SSA_DEPLOYMENT, SSA_CONFIGMAP].join('---\n'));
    const created = await run('apply', '--server-side', '-f', file);
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe(
      'deployment.apps/ssa-web serverside-applied\nconfigmap/ssa-config serverside-applied\n',
    );
    const changed = manifest(
      'ssa-changed.yaml',
      [SSA_DEPLOYMENT.replace('busybox:1.35', 'busybox:latest'), SSA_CONFIGMAP.replace('b: two', 'b: three')].join(
        '---\n',
      ),
    );
    expect((await run('apply', '--server-side', '-f', changed)).stdout).toBe(
      'deployment.apps/ssa-web serverside-applied\nconfigmap/ssa-config serverside-applied\n',
    );
    const deployment = JSON.parse((await run('get', 'deploy', 'ssa-web', '-o', 'json')).stdout);
    expect(deployment.metadata.generation).toBe(2);
    expect(deployment.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'web', image: 'busybox:latest' }),
    ]);
    // Not client-side apply: no last-applied annotation.
    expect(deployment.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    const configmap = JSON.parse((await run('get', 'cm', 'ssa-config', '-o', 'json')).stdout);
    expect(configmap.data).toEqual({ a: 'one', b: 'three' });
    // The manager's fields are recorded as kube records them.
    const managed = JSON.parse((await run('get', 'cm', 'ssa-config', '-o', 'json', '--show-managed-fields')).stdout);
    expect(managed.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } },
      }),
    ]);
    // Applied again unchanged: nothing is written.
    await run('apply', '--server-side', '-f', changed);
    expect(JSON.parse((await run('get', 'cm', 'ssa-config', '-o', 'json')).stdout).metadata.resourceVersion).toBe(
      configmap.metadata.resourceVersion,
    );
    // A key the configuration drops goes; one another writer added stays.
    await run('patch', 'cm', 'ssa-config', '-p', '{"data":{"c":"by hand"}}');
    const dropped = manifest('ssa-dropped.yaml', SSA_CONFIGMAP.replace('  b: two\n', ''));
    expect((await run('apply', '--server-side', '-f', dropped)).stdout).toBe(
      'configmap/ssa-config serverside-applied\n',
    );
    expect(JSON.parse((await run('get', 'cm', 'ssa-config', '-o', 'json')).stdout).data).toEqual({
      a: 'one',
      c: 'by hand',
    });
    // A dry run changes nothing; a diff shows what an apply would change.
    await run('apply', '--server-side', '--dry-run=server', '-f', file);
    expect(JSON.parse((await run('get', 'cm', 'ssa-config', '-o', 'json')).stdout).data.b).toBeUndefined();
    const diff = await run('diff', '--server-side', '-f', file);
    expect(diff.stdout).toContain('+  b: two');
    expect((await run('delete', '-f', file)).code).toBe(0);
  });

  it('labels, annotates and scales', async () => {
    expect((await run('label', 'deploy', 'nginx-deployment', 'tier=web')).stdout).toBe(
      'deployment.apps/nginx-deployment labeled\n',
    );
    expect((await run('annotate', 'deploy', 'nginx-deployment', 'owner=team-a')).stdout).toBe(
      'deployment.apps/nginx-deployment annotated\n',
    );
    expect((await run('scale', 'deploy', 'nginx-deployment', '--replicas=5')).stdout).toBe(
      'deployment.apps/nginx-deployment scaled\n',
    );
    const object = JSON.parse((await run('get', 'deploy', 'nginx-deployment', '-o', 'json')).stdout);
    expect(object.metadata.labels).toEqual({ app: 'nginx', tier: 'web' });
    expect(object.metadata.annotations.owner).toBe('team-a');
    expect(object.spec.replicas).toBe(5);
    expect((await run('get', 'deploy', '-l', 'tier=web', '-o', 'name')).stdout).toBe(
      'deployment.apps/nginx-deployment\n',
    );
    expect((await run('get', 'deploy', '-l', 'tier=db', '-o', 'name')).stdout).toBe('');
  });

  it('streams changes made by another kubectl to kubectl get -w', async () => {
    const watcher = kubectlStream(t.kubeconfig, ['get', 'deploy', '-w', '--request-timeout=20s']);
    try {
      await eventually(() => /nginx-deployment\s+0\/5/.test(watcher.output()));
      expect((await run('scale', 'deploy', 'nginx-deployment', '--replicas=2')).code).toBe(0);
      await eventually(() => /nginx-deployment\s+0\/2/.test(watcher.output()));
      // One header, then one line per state.
      expect(watcher.output().match(/^NAME\s+READY/gm)).toHaveLength(1);
    } finally {
      await watcher.stop();
    }
    expect(watcher.errors()).toBe('');
  });

  it('shows every kind of the "all" category', async () => {
    const pod = manifest(
      'pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\nspec:\n  containers:\n  - name: c\n    image: busybox:1.35\n',
    );
    expect((await run('apply', '-f', pod)).code).toBe(0);
    const all = await run('get', 'all');
    expect(all.stderr).toBe('');
    expect(all.stdout).toMatch(/pod\/lone\s+0\/1\s+Pending\s+0\s+\d+s/);
    expect(all.stdout).toContain('service/my-service');
    expect(all.stdout).toContain('deployment.apps/nginx-deployment');
    const pods = await run('get', 'pods', '-o', 'wide');
    expect(pods.stdout).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/,
    );
    expect((await run('delete', 'pod', 'lone', '--wait=false')).code).toBe(0);
  });

  it('explains fields from the OpenAPI v3 document', async () => {
    const explained = await run('explain', 'deployment.spec.replicas');
    expect(explained.stderr).toBe('');
    expect(explained.stdout).toContain('GROUP:      apps');
    expect(explained.stdout).toContain('FIELD: replicas <integer>');
    expect(explained.stdout).toContain('Number of desired pods');
    const spec = await run('explain', 'deployment.spec');
    expect(spec.stdout).toMatch(/template\s+<PodTemplateSpec> -required-/);
  });

  it('refuses unknown fields under Strict validation and warns under Warn', async () => {
    const bad = manifest(
      'bad.yaml',
      DEPLOYMENT.replace('name: nginx-deployment', 'name: strict-test').replace('replicas: 3', 'replicaz: 3'),
    );
    const strict = await run('apply', '-f', bad);
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain('strict decoding error: unknown field "spec.replicaz"');
    const warned = await run('create', '--validate=warn', '-f', bad);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('unknown field "spec.replicaz"');
    expect((await run('delete', 'deploy', 'strict-test')).code).toBe(0);
  });

  it('deletes what it applied', async () => {
    const file = join(t.dir, 'app.yaml');
    const deleted = await run('delete', '-f', file);
    expect(deleted.stdout).toBe(
      'deployment.apps "nginx-deployment" deleted from default namespace\nservice "my-service" deleted from default namespace\nconfigmap "game-demo" deleted from default namespace\n',
    );
    const left = await run('get', 'deploy,svc,cm');
    expect(left.stdout).toBe('');
    expect(left.stderr).toBe('No resources found in default namespace.\n');
  });

  describe('malformed requests', () => {
    const deployments = '/apis/apps/v1/namespaces/default/deployments';
    const configmaps = '/api/v1/namespaces/default/configmaps';
    const validConfigMap = (name: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: 'b' }, ...extra });

    it('answers each with the Status kube-apiserver would send', async () => {
      const cases: Array<[RawRequest, number, RegExp | string]> = [
        [{ method: 'POST', path: configmaps, body: '{"apiVersion": "v1", "kind": ' }, 400, 'json parse error'],
        [{ method: 'POST', path: configmaps, body: '[1,2,3]' }, 400, 'cannot unmarshal array'],
        [{ method: 'POST', path: configmaps, body: '' }, 400, 'unexpected end of JSON input'],
        [
          { method: 'POST', path: deployments, body: SERVICE, headers: { 'content-type': 'application/yaml' } },
          400,
          'does not match the expected API version (apps/v1)',
        ],
        [
          { method: 'POST', path: configmaps, body: validConfigMap('x').replace('ConfigMap', 'Secret') },
          400,
          'cannot be handled as a ConfigMap',
        ],
        [
          { method: 'POST', path: configmaps, body: validConfigMap('Not_A_Valid_Name') },
          422,
          /Invalid value: "Not_A_Valid_Name"/,
        ],
        [
          {
            method: 'POST',
            path: deployments,
            body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'empty' } }),
          },
          422,
          'is invalid: spec',
        ],
        [
          {
            method: 'POST',
            path: configmaps,
            body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }),
          },
          422,
          'name or generateName is required',
        ],
        [
          {
            method: 'POST',
            path: `${configmaps}?fieldValidation=Strict`,
            body: validConfigMap('dup').replace('"data"', '"data":{},"data"'),
          },
          400,
          'duplicate field "data"',
        ],
        [
          {
            method: 'POST',
            path: `${configmaps}?fieldValidation=Strict`,
            body: validConfigMap('unknown', { spec: {} }),
          },
          400,
          'strict decoding error: unknown field "spec"',
        ],
        [
          { method: 'POST', path: `${configmaps}?fieldValidation=Sometimes`, body: validConfigMap('v') },
          400,
          'fieldValidation',
        ],
        [
          {
            method: 'POST',
            path: deployments,
            body: JSON.stringify({
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'typed' },
              spec: { replicas: 'three' },
            }),
          },
          400,
          'cannot unmarshal string',
        ],
        [
          { method: 'POST', path: '/api/v1/namespaces/does-not-exist/configmaps', body: validConfigMap('lost') },
          404,
          'namespaces "does-not-exist" not found',
        ],
        [
          {
            method: 'POST',
            path: '/api/v1/namespaces/kube-system/configmaps',
            body: JSON.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'ns', namespace: 'default' },
            }),
          },
          400,
          'does not match the namespace',
        ],
        [
          {
            method: 'POST',
            path: configmaps,
            body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":"${'x'.repeat(3 * 1024 * 1024)}"}}`,
          },
          413,
          'Request entity too large',
        ],
        [
          {
            method: 'POST',
            path: configmaps,
            body: `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"big"},"data":{"a":"${'x'.repeat(3_000_000)}"}}`,
          },
          422,
          'Too long',
        ],
        [
          {
            method: 'PATCH',
            path: `${configmaps}/none`,
            body: '{}',
            headers: { 'content-type': 'application/merge-patch+json' },
          },
          404,
          'configmaps "none" not found',
        ],
        [
          { method: 'PATCH', path: `${configmaps}/none`, body: '{}', headers: { 'content-type': 'text/plain' } },
          415,
          'accepted media types include',
        ],
        [
          {
            method: 'PATCH',
            path: `${configmaps}/none`,
            body: '{}',
            headers: { 'content-type': 'application/json-patch+json' },
          },
          400,
          'jsonpatch.Patch',
        ],
        [
          {
            method: 'PATCH',
            path: `${configmaps}/none`,
            body: '[{"op":"jump","path":"/a"}]',
            headers: { 'content-type': 'application/json-patch+json' },
          },
          400,
          'Unexpected kind: jump',
        ],
        [
          {
            method: 'PATCH',
            path: `${configmaps}/none`,
            body: '[1]',
            headers: { 'content-type': 'application/merge-patch+json' },
          },
          400,
          'cannot unmarshal array',
        ],
        [
          {
            method: 'PATCH',
            path: `${configmaps}/none`,
            body: 'x: y',
            headers: { 'content-type': 'application/apply-patch+yaml' },
          },
          422,
          'fieldManager: Required value: is required for apply patch',
        ],
        [
          {
            method: 'PATCH',
            path: `${configmaps}/other?fieldManager=test`,
            body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mismatch\n',
            headers: { 'content-type': 'application/apply-patch+yaml' },
          },
          400,
          'does not match the name on the URL',
        ],
        [
          {
            method: 'POST',
            path: '/api/v1/namespaces/default/pods/none/eviction',
            body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'none' } }),
          },
          404,
          'pods "none" not found',
        ],
        [
          {
            method: 'POST',
            path: '/api/v1/namespaces/default/pods/a/eviction',
            body: JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'b' } }),
          },
          400,
          'name in URL does not match name in Eviction object',
        ],
        [
          { method: 'PUT', path: `${configmaps}/other`, body: validConfigMap('mismatch') },
          400,
          'does not match the name on the URL',
        ],
        [{ method: 'PUT', path: configmaps, body: validConfigMap('x') }, 405, 'does not allow this method'],
        [
          { method: 'POST', path: `${configmaps}/named`, body: validConfigMap('named') },
          405,
          'does not allow this method',
        ],
        [
          { method: 'GET', path: '/api/v1/namespaces/default/widgets' },
          404,
          'the server could not find the requested resource',
        ],
        [{ method: 'GET', path: '/api/v1/namespaces/default/pods/x/log' }, 404, 'pods "x" not found'],
        // Eviction takes a POST only, as kube's.
        [{ method: 'GET', path: '/api/v1/namespaces/default/pods/x/eviction' }, 405, 'does not allow this method'],
        [{ method: 'GET', path: '/api/v1/namespaces/default/nodes' }, 404, 'could not find'],
        [{ method: 'GET', path: '/apis/apps/v2/deployments' }, 404, 'could not find'],
        [{ method: 'GET', path: `${configmaps}?limit=-1` }, 400, 'limit'],
        [{ method: 'GET', path: `${configmaps}?watch=maybe` }, 400, 'watch'],
        [{ method: 'GET', path: `${configmaps}?labelSelector=a%20in%20(` }, 400, ''],
        [
          { method: 'GET', path: configmaps, headers: { accept: 'application/vnd.kubernetes.protobuf' } },
          406,
          'media types',
        ],
        [
          { method: 'DELETE', path: `${configmaps}/none`, body: '{"propagationPolicy":"Sometimes"}' },
          422,
          'propagationPolicy',
        ],
        [{ method: 'GET', path: configmaps, token: null }, 401, 'Unauthorized'],
        [{ method: 'GET', path: configmaps, token: 'wrong' }, 401, 'Unauthorized'],
      ];
      for (const [request, code, message] of cases) {
        const response = await raw(request);
        const label = `${request.method} ${request.path.slice(0, 80)} ${String(request.body).slice(0, 60)}`;
        expect(response.status, `${label}: ${response.body.slice(0, 300)}`).toBe(code);
        const status = response.json();
        expect(status, label).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code });
        if (typeof message === 'string') expect(status.message, label).toContain(message);
        else expect(status.message, label).toMatch(message);
      }
      const list = (await raw({ path: configmaps })).json();
      expect(list.items).toEqual([]);
    });

    it('survives 200 random malformed requests and stores nothing', async () => {
      let seed = 42;
      const random = (n: number) => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed % n;
      };
      const paths = [
        configmaps,
        deployments,
        `${configmaps}/x`,
        `${deployments}/x/scale`,
        `${deployments}/x/status`,
        '/api/v1/namespaces',
        '/api/v1/namespaces/%ZZ/pods',
        '/apis/apps/v1/namespaces/default/deployments/x/y/z',
      ];
      const methods = ['POST', 'PUT', 'PATCH', 'DELETE', 'POST', 'PATCH'];
      const bodies = [
        '{',
        '}',
        'null',
        '"string"',
        '42',
        '[]',
        '{"kind":',
        '\u0000\u0001',
        '{"apiVersion":"v1"}',
        '{"metadata":"x"}',
        '{"metadata":{"name":7}}',
        '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":[]}',
        '{"spec":{"replicas":-1}}',
        `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        'a: [b',
        '---\n- x',
      ];
      const contentTypes = [
        'application/json',
        'application/yaml',
        'application/merge-patch+json',
        'application/strategic-merge-patch+json',
        'application/json-patch+json',
        'text/html',
      ];
      for (let i = 0; i < 200; i++) {
        const response = await raw({
          method: methods[random(methods.length)],
          path: paths[random(paths.length)],
          body: bodies[random(bodies.length)],
          headers: { 'content-type': contentTypes[random(contentTypes.length)] },
        });
        expect(response.status, `request ${i}: ${response.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `request ${i}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
      }
      expect((await raw({ path: '/healthz', token: null })).body).toBe('ok');
      expect((await raw({ path: configmaps })).json().items).toEqual([]);
      expect((await raw({ path: deployments })).json().items).toEqual([]);
      const namespaces = (await raw({ path: '/api/v1/namespaces' }))
        .json()
        .items.map((n: LooseJson) => n.metadata.name);
      expect(namespaces.sort()).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    });
  });
});
