/**
 * Acceptance 1 of the API server issue, as a user does it with kubectl: namespace, apply
 * of a docs Deployment + ConfigMap + Service, Kubernetes' defaults, re-apply (one update,
 * generation 2), label, annotate, scale, `get -w` seeing another kubectl's change,
 * `get all`, `delete -f`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { inCidr } from './harness/host.js';
import { manifest } from './harness/manifests.js';
import type { WatchEventLine } from './harness/raw-api.js';
import { waitUntil } from './harness/wait.js';

const NS = 'acceptance';
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

interface Obj {
  kind: string;
  metadata: {
    name: string;
    generation?: number;
    resourceVersion: string;
    uid: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Spec;
}

/** The parts of Deployment and Service specs the assertions read. */
interface Spec {
  replicas?: number;
  clusterIP?: string;
  clusterIPs?: string[];
  template: { spec: { containers: Array<Record<string, unknown>> } & Record<string, unknown> };
  [field: string]: unknown;
}

describe('acceptance: kubectl against tkube', () => {
  it('creates a namespace', async () => {
    expect(await cluster.kubectl(['create', 'namespace', NS])).toContain(`namespace/${NS} created`);
    expect(await cluster.kubectl(['get', 'ns', NS, '-o', 'jsonpath={.status.phase}'])).toBe('Active');
  });

  it('applies a Deployment, a ConfigMap and a Service', async () => {
    const out = await cluster.kubectl(['apply', '-n', NS, '-f', manifest('web')]);
    expect(out).toContain('configmap/web-config created');
    expect(out).toContain('deployment.apps/web created');
    expect(out).toContain('service/web created');
  });

  it('shows Kubernetes defaults in get -o yaml', async () => {
    const list = parse(await cluster.kubectl(['get', 'deploy,svc,cm', '-n', NS, '-o', 'yaml'])) as {
      kind: string;
      items: Obj[];
    };
    expect(list.kind).toBe('List');
    const byKind = new Map(list.items.map((item) => [`${item.kind}/${item.metadata.name}`, item]));

    const deploy = byKind.get('Deployment/web');
    expect(deploy?.metadata.generation).toBe(1);
    expect(deploy?.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(deploy?.spec).toMatchObject({
      replicas: 3,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(deploy?.spec.template.spec).toMatchObject({
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      securityContext: {},
    });
    expect(deploy?.spec.template.spec.containers[0]).toMatchObject({
      image: 'busybox:1.35',
      imagePullPolicy: 'IfNotPresent',
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      resources: {},
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
    });

    const svc = byKind.get('Service/web');
    expect(svc?.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
    });
    // A ClusterIP from the cluster's service range (`tkube up --service-cidr`).
    expect(inCidr(svc?.spec.clusterIP ?? '', cluster.serviceCidr)).toBe(true);
    expect(svc?.spec.clusterIPs).toEqual([svc?.spec.clusterIP]);

    const cm = byKind.get('ConfigMap/web-config') as unknown as { data: Record<string, string> };
    expect(cm.data).toEqual({ greeting: 'hello', 'settings.properties': 'color=blue\nsize=large\n' });
  });

  it('applies again with other replicas and an env var: one update, generation 2', async () => {
    const before = JSON.parse(await cluster.kubectl(['get', 'deploy', 'web', '-n', NS, '-o', 'json'])) as Obj;
    const events: WatchEventLine[] = [];
    const watch = cluster.api.watch(
      `/apis/apps/v1/namespaces/${NS}/deployments?resourceVersion=${before.metadata.resourceVersion}`,
      (event) => events.push(event),
    );
    await watch.opened;
    try {
      const out = await cluster.kubectl(['apply', '-n', NS, '-f', manifest('web-v2')]);
      expect(out).toContain('deployment.apps/web configured');
      expect(out).toContain('configmap/web-config unchanged');
      expect(out).toContain('service/web unchanged');
      await waitUntil('the update to be watched', () => events.length > 0);
      // Anything more would have arrived by now; there must be none.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      watch.stop();
    }
    // The controller-manager writes the status meanwhile, which leaves generation alone; the
    // apply is the one update that moves it.
    const generationOf = (i: number) => (i < 0 ? before : events[i]?.object)?.metadata?.generation;
    const specUpdates = events.filter((_, i) => generationOf(i) !== generationOf(i - 1));
    expect(
      specUpdates.map((e) => `${e.type} ${e.object.metadata?.name} generation ${e.object.metadata?.generation}`),
    ).toEqual(['MODIFIED web generation 2']);

    const after = JSON.parse(await cluster.kubectl(['get', 'deploy', 'web', '-n', NS, '-o', 'json'])) as Obj;
    expect(after.metadata.generation).toBe(2);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.spec.replicas).toBe(2);
    expect(after.spec.template.spec.containers[0].env).toEqual([{ name: 'GREETING', value: 'hi' }]);
  });

  it('labels, annotates and scales', async () => {
    const generation = async () =>
      cluster.kubectl(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.metadata.generation}']);
    // As kube's deployment strategy: a label leaves generation alone; an annotation bumps
    // it (annotations are copied to ReplicaSets), and so does the scale (a spec change).
    expect(await cluster.kubectl(['label', 'deploy', 'web', '-n', NS, 'tier=frontend'])).toContain(
      'deployment.apps/web labeled',
    );
    expect(await generation()).toBe('2');
    expect(await cluster.kubectl(['annotate', 'deploy', 'web', '-n', NS, 'owner=team-a'])).toContain(
      'deployment.apps/web annotated',
    );
    expect(await generation()).toBe('3');
    expect(await cluster.kubectl(['scale', 'deploy', 'web', '-n', NS, '--replicas=5'])).toContain(
      'deployment.apps/web scaled',
    );
    expect(await generation()).toBe('4');

    const deploy = JSON.parse(await cluster.kubectl(['get', 'deploy', 'web', '-n', NS, '-o', 'json'])) as Obj;
    expect(deploy.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(deploy.metadata.annotations?.owner).toBe('team-a');
    expect(deploy.spec.replicas).toBe(5);
    expect(await cluster.kubectl(['get', 'deploy', '-n', NS, '-l', 'tier=frontend', '-o', 'name'])).toBe(
      'deployment.apps/web\n',
    );
  });

  it('get -w prints changes another kubectl makes meanwhile', async () => {
    const watcher = cluster.kubectl.spawn(['get', 'deploy', '-n', NS, '-w']);
    try {
      await watcher.waitFor(/web\s+\d+\/5\s/);
      await cluster.kubectl(['scale', 'deploy', 'web', '-n', NS, '--replicas=4']);
      await watcher.waitFor(/web\s+\d+\/4\s/);
      await cluster.kubectl(['patch', 'deploy', 'web', '-n', NS, '--type=merge', '-p', '{"spec":{"replicas":1}}']);
      const output = await watcher.waitFor(/web\s+\d+\/1\s/);
      expect(output.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/);
    } finally {
      await watcher.stop();
    }
  });

  it('get all lists the deployment and the service', async () => {
    const out = await cluster.kubectl(['get', 'all', '-n', NS]);
    expect(out).toMatch(/^service\/web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/m);
    expect(out).toMatch(/^deployment\.apps\/web\s+\d+\/1\s/m);
  });

  it('delete -f removes what apply made', async () => {
    const out = await cluster.kubectl(['delete', '-n', NS, '-f', manifest('web-v2')]);
    expect(out).toContain('deployment.apps "web" deleted');
    expect(out).toContain('configmap "web-config" deleted');
    expect(out).toContain('service "web" deleted');
    const gone = await cluster.kubectl.result(['get', 'deploy/web', 'svc/web', 'cm/web-config', '-n', NS]);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain('Error from server (NotFound): deployments.apps "web" not found');
    expect(gone.stderr).toContain('Error from server (NotFound): services "web" not found');
    expect(gone.stderr).toContain('Error from server (NotFound): configmaps "web-config" not found');
  });
});
