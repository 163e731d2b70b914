/**
 * The real kubectl 1.35 against a test server: its typed `create` commands send
 * application/vnd.kubernetes.protobuf bodies (and never fall back to JSON), so each one
 * succeeding, and `kubectl get -o json` showing what was asked for, is the proof that the
 * protobuf decoder reads what kubectl writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LooseJson, rawRequest } from '../testing/https-client.js';
import { kubectl } from '../testing/kubectl.js';
import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/test-server.js';

describe('kubectl 1.35 create commands over protobuf', () => {
  let t: TestServer;
  const run = (...args: string[]) => kubectl(t.kubeconfig, args);

  /** Runs a command that must succeed, then returns `kubectl get <resource> -o json`. */
  async function createThenGet(args: string[], resource: string[]): Promise<LooseJson> {
    const created = await run(...args);
    expect(created.stderr, args.join(' ')).toBe('');
    expect(created.code, args.join(' ')).toBe(0);
    const got = await run('get', ...resource, '-o', 'json');
    expect(got.code, got.stderr).toBe(0);
    return JSON.parse(got.stdout) as LooseJson;
  }

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates a namespace', async () => {
    const ns = await createThenGet(['create', 'namespace', 'x'], ['namespace', 'x']);
    expect(ns).toMatchObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } });
    expect(ns.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('creates a configmap from literals and files', async () => {
    const file = join(t.dir, 'settings.txt');
    writeFileSync(file, 'color=blue\n');
    const cm = await createThenGet(
      ['create', 'configmap', 'c', '--from-literal=a=b', `--from-file=${file}`],
      ['configmap', 'c'],
    );
    expect(cm.data).toEqual({ a: 'b', 'settings.txt': 'color=blue\n' });
  });

  it('creates generic, tls and docker-registry secrets', async () => {
    const generic = await createThenGet(['create', 'secret', 'generic', 's', '--from-literal=p=q'], ['secret', 's']);
    expect(generic.type).toBe('Opaque');
    expect(generic.data).toEqual({ p: Buffer.from('q').toString('base64') });

    const docker = await createThenGet(
      [
        'create',
        'secret',
        'docker-registry',
        'dr',
        '--docker-server=r.example',
        '--docker-username=u',
        '--docker-password=p',
      ],
      ['secret', 'dr'],
    );
    expect(docker.type).toBe('kubernetes.io/dockerconfigjson');
    const config = JSON.parse(Buffer.from(docker.data['.dockerconfigjson'], 'base64').toString('utf8'));
    expect(config.auths['r.example']).toMatchObject({ username: 'u', password: 'p' });

    const cert = join(t.dir, 'server.crt');
    const key = join(t.dir, 'server.key');
    const tls = await createThenGet(
      ['create', 'secret', 'tls', 'tls', `--cert=${cert}`, `--key=${key}`],
      ['secret', 'tls'],
    );
    expect(tls.type).toBe('kubernetes.io/tls');
    expect(Buffer.from(tls.data['tls.crt'], 'base64').toString('utf8')).toBe(readFileSync(cert, 'utf8'));
  });

  it('creates a deployment with zero replicas and keeps the zero', async () => {
    const d = await createThenGet(
      ['create', 'deployment', 'd', '--image=busybox:1.35', '--replicas=0'],
      ['deployment', 'd'],
    );
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'd' } });
    expect(d.spec.template.metadata.labels).toEqual({ app: 'd' });
    expect(d.spec.template.spec.containers).toEqual([
      expect.objectContaining({ name: 'busybox', image: 'busybox:1.35' }),
    ]);
  });

  it('creates a deployment with a port and a command', async () => {
    const d = await createThenGet(
      ['create', 'deployment', 'd2', '--image=busybox:1.35', '--port=80', '--', 'sleep', '3600'],
      ['deployment', 'd2'],
    );
    expect(d.spec.replicas).toBe(1);
    const [container] = d.spec.template.spec.containers;
    expect(container.command).toEqual(['sleep', '3600']);
    expect(container.ports).toEqual([expect.objectContaining({ containerPort: 80 })]);
    // Zero values gogo-protobuf writes (stdin: false, hostPort: 0, ...) are not stored as set.
    expect(container.stdin).toBeUndefined();
    expect(container.ports[0].hostPort).toBeUndefined();
  });

  it('creates a job', async () => {
    const job = await createThenGet(['create', 'job', 'j', '--image=busybox:1.35', '--', 'echo', 'hi'], ['job', 'j']);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers[0]).toMatchObject({ name: 'j', command: ['echo', 'hi'] });
  });

  it('creates a cronjob and a job from it', async () => {
    const cj = await createThenGet(
      ['create', 'cronjob', 'cj', '--image=busybox:1.35', '--schedule=*/1 * * * *'],
      ['cronjob', 'cj'],
    );
    expect(cj.spec.schedule).toBe('*/1 * * * *');
    expect(cj.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');

    const job = await createThenGet(['create', 'job', 'manual', '--from=cronjob/cj'], ['job', 'manual']);
    expect(job.metadata.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata.ownerReferences).toEqual([
      expect.objectContaining({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'cj',
        uid: cj.metadata.uid,
        controller: true,
      }),
    ]);
  });

  it('creates clusterip, nodeport, loadbalancer and externalname services', async () => {
    const s = await createThenGet(['create', 'service', 'clusterip', 's', '--tcp=80:8080'], ['service', 's']);
    expect(s.spec.type).toBe('ClusterIP');
    expect(s.spec.selector).toEqual({ app: 's' });
    expect(s.spec.ports).toEqual([
      expect.objectContaining({ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }),
    ]);

    const n = await createThenGet(['create', 'service', 'nodeport', 'n', '--tcp=80:8080'], ['service', 'n']);
    expect(n.spec.type).toBe('NodePort');
    expect(n.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);

    const lb = await createThenGet(['create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080'], ['service', 'lb']);
    expect(lb.spec.type).toBe('LoadBalancer');

    const en = await createThenGet(
      ['create', 'service', 'externalname', 'en', '--external-name=example.com'],
      ['service', 'en'],
    );
    expect(en.spec).toMatchObject({ type: 'ExternalName', externalName: 'example.com' });
  });

  it('creates a serviceaccount', async () => {
    const sa = await createThenGet(['create', 'serviceaccount', 'sa'], ['serviceaccount', 'sa']);
    expect(sa).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'sa', namespace: 'default' } });
  });

  it('exposes a deployment and autoscales it', async () => {
    const svc = await createThenGet(
      ['expose', 'deployment', 'd2', '--port=80', '--target-port=8080'],
      ['service', 'd2'],
    );
    expect(svc.spec.selector).toEqual({ app: 'd2' });
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8080 })]);

    const hpa = await createThenGet(['autoscale', 'deployment', 'd2', '--max=3'], ['hpa', 'd2']);
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd2' },
      maxReplicas: 3,
    });
  });

  it('autoscales on CPU utilization', async () => {
    await run('create', 'deployment', 'd4', '--image=busybox:1.35');
    const hpa = await createThenGet(
      ['autoscale', 'deployment', 'd4', '--min=2', '--max=5', '--cpu=50%'],
      ['hpa', 'd4'],
    );
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
    ]);
  });

  it('refuses a protobuf body it cannot read with 400, not 415, and stays up', async () => {
    const ca = readFileSync(t.caFile, 'utf8');
    const response = await rawRequest(t.server.url, ca, TEST_TOKEN, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: Buffer.from('k8s\u0000\u0012\u0005trunc', 'latin1'),
      headers: { 'content-type': 'application/vnd.kubernetes.protobuf' },
    });
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect((await run('get', 'ns', 'default')).code).toBe(0);
  });
});
