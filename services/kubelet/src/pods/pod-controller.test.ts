import type { Pod } from '@tkube/api';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeRuntime } from '../testing/fake-runtime.js';
import { podHarness } from '../testing/pod-harness.js';

type Harness = Awaited<ReturnType<typeof podHarness>>;
let h: Harness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

function pod(spec: Partial<NonNullable<Pod['spec']>> = {}, status?: Pod['status']): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1' },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'web', image: 'busybox:1.35', command: ['httpd', '-f'] }],
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

/** The pod as the apiserver would now hold it: the last written status. */
const withStatus = (p: Pod, harness: Harness): Pod => ({ ...p, status: harness.lastStatus() });

describe('PodController', () => {
  it('runs a pod: sandbox, network, init container, app containers, then Running with the pod IP', async () => {
    h = await podHarness();
    let p = pod({
      initContainers: [{ name: 'setup', image: 'busybox:1.35', command: ['true'] }],
      containers: [
        {
          name: 'web',
          image: 'busybox:1.35',
          command: ['httpd'],
          env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        },
        { name: 'side', image: 'busybox:1.35', command: ['sleep'] },
      ],
    });
    await h.apply(p);
    expect(h.runtime.calls.slice(0, 3)).toEqual(['runPodSandbox web', 'createContainer setup', 'startContainer setup']);
    expect(h.network.attachments.size).toBe(1);
    expect(h.lastStatus()).toMatchObject({ phase: 'Pending', podIP: '10.244.9.2' });
    expect(h.lastStatus()?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');

    // The init container finishes: the app containers start, with the pod IP in their env.
    h.runtime.exit(h.runtime.byName('setup')[0]!.id, 0);
    p = withStatus(p, h);
    await h.sync(p);
    const web = h.runtime.byName('web')[0]!;
    expect(web.config.envs).toContainEqual({ key: 'IP', value: '10.244.9.2' });
    expect(web.config.logPath).toBe('web/0.log');
    expect(web.config.mounts).toContainEqual(expect.objectContaining({ containerPath: '/etc/hosts' }));
    const status = h.lastStatus();
    expect(status?.phase).toBe('Running');
    expect(status?.initContainerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
    expect(status?.containerStatuses?.map((s) => s.ready)).toEqual([true, true]);
    expect(status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(h.events.map((e) => e.reason)).toEqual(expect.arrayContaining(['Pulled', 'Created', 'Started']));
    const sandbox = [...h.runtime.sandboxes.values()][0]!;
    expect(sandbox.config.logDirectory).toBe(h.dirs.logDir('default', 'web', 'uid-1'));
    expect(sandbox.config.dnsConfig).toEqual({
      servers: ['10.96.0.10'],
      searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      options: ['ndots:5'],
    });
  });

  it('gives containers the variables of the Services that exist when they start', async () => {
    h = await podHarness();
    h.services.push(
      {
        metadata: { namespace: 'default', name: 'kubernetes' },
        spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] },
      },
      {
        metadata: { namespace: 'default', name: 'redis-primary' },
        spec: { clusterIP: '10.0.0.11', ports: [{ port: 6379 }] },
      },
      { metadata: { namespace: 'other', name: 'elsewhere' }, spec: { clusterIP: '10.0.0.12', ports: [{ port: 80 }] } },
    );
    await h.apply(pod({ containers: [{ name: 'web', image: 'busybox:1.35', env: [{ name: 'A', value: 'a' }] }] }));
    const envs = h.runtime.byName('web')[0]!.config.envs;
    expect(envs[0]).toEqual({ key: 'A', value: 'a' });
    expect(envs).toContainEqual({ key: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' });
    expect(envs).toContainEqual({ key: 'REDIS_PRIMARY_PORT', value: 'tcp://10.0.0.11:6379' });
    expect(envs.some((e) => e.key.startsWith('ELSEWHERE_'))).toBe(false);
  });

  it('falls back to the host DNS without --cluster-dns, with MissingClusterDNS on the pod and the node', async () => {
    h = await podHarness({ dns: { clusterDns: [] } });
    await h.apply(pod());
    const sandbox = [...h.runtime.sandboxes.values()][0]!;
    expect(sandbox.config.dnsConfig).toEqual({ servers: ['10.0.0.53'], searches: [], options: [] });
    const missing = h.events.filter((e) => e.reason === 'MissingClusterDNS');
    expect(missing.map((e) => [e.type, e.involvedObject?.kind])).toEqual([
      ['Warning', 'Pod'],
      ['Warning', 'Node'],
    ]);
    expect(missing[0]?.message).toMatch(
      /^pod: "web_default\(uid-1\)"\. kubelet does not have ClusterDNS IP configured/,
    );
    // Once, with the sandbox: later syncs of the running pod add nothing.
    await h.sync(withStatus(pod(), h));
    expect(h.events.filter((e) => e.reason === 'MissingClusterDNS')).toHaveLength(2);
  });

  it('takes the IP of a runtime that networks its own pods, without the network plugin', async () => {
    const runtime = new FakeRuntime();
    runtime.ownPodIp = '10.88.0.7';
    h = await podHarness({ runtime });
    await h.apply(pod());
    expect(h.network.attachments.size).toBe(0);
    expect(h.lastStatus()).toMatchObject({ phase: 'Running', podIP: '10.88.0.7' });
  });

  it('restarts a crashed container at once, then backs off with CrashLoopBackOff', async () => {
    h = await podHarness();
    let p = pod();
    await h.apply(p);
    const first = h.runtime.byName('web')[0]!;
    h.runtime.exit(first.id, 1);
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.runtime.byName('web')).toHaveLength(2);
    expect(h.lastStatus()?.containerStatuses?.[0]).toMatchObject({ restartCount: 1, state: { running: {} } });
    expect(h.lastStatus()?.containerStatuses?.[0]?.lastState?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });

    const second = h.runtime.byName('web').find((c) => c.id !== first.id)!;
    h.runtime.exit(second.id, 1);
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.runtime.byName('web')).toHaveLength(2);
    const waiting = h.lastStatus()?.containerStatuses?.[0]?.state?.waiting;
    expect(waiting).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(waiting?.message).toMatch(/^back-off 10s restarting failed container=web pod=web_default\(uid-1\)$/);
    expect(h.events.map((e) => e.reason)).toContain('BackOff');

    // After 10 s the container starts again; the next delay is 20 s.
    h.advance(10_001);
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.lastStatus()?.containerStatuses?.[0]).toMatchObject({ restartCount: 2, state: { running: {} } });
    expect(h.lastStatus()?.phase).toBe('Running');
  });

  it('follows restartPolicy Never: a finished pod is Succeeded and its sandbox stops', async () => {
    h = await podHarness();
    let p = pod({ restartPolicy: 'Never' });
    await h.apply(p);
    h.runtime.exit(h.runtime.byName('web')[0]!.id, 0);
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.lastStatus()?.phase).toBe('Succeeded');
    expect(h.runtime.byName('web')).toHaveLength(1);
    expect(h.network.attachments.size).toBe(0);
    expect([...h.runtime.sandboxes.values()][0]?.state).toBe(1);
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.runtime.calls.filter((c) => c.startsWith('runPodSandbox'))).toHaveLength(1);
  });

  it('waits with ErrImageNeverPull and CreateContainerConfigError, with kube messages', async () => {
    h = await podHarness();
    await h.apply(
      pod({
        containers: [
          { name: 'never', image: 'missing:1', imagePullPolicy: 'Never' },
          {
            name: 'cfg',
            image: 'busybox:1.35',
            env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }],
          },
        ],
      }),
    );
    const [never, cfg] = h.lastStatus()?.containerStatuses ?? [];
    expect(never?.state?.waiting).toEqual({
      reason: 'ErrImageNeverPull',
      message: 'Container image "missing:1" is not present with pull policy of Never',
    });
    expect(cfg?.state?.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: 'configmap "nope" not found',
    });
    expect(h.lastStatus()?.phase).toBe('Pending');
  });

  it('finishes a graceful deletion: PreStop, stop with the grace period, network released, everything removed, pod deleted', async () => {
    h = await podHarness();
    let p = pod({
      terminationGracePeriodSeconds: 30,
      containers: [
        { name: 'web', image: 'busybox:1.35', lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye'] } } } },
      ],
    });
    await h.apply(p);
    p = withStatus(p, h);
    p.metadata = { ...p.metadata, deletionTimestamp: '2025-01-01T00:01:00Z', deletionGracePeriodSeconds: 7 };
    await h.apply(p);
    expect(h.runtime.calls).toContain('execSync sh -c echo bye');
    expect(h.runtime.calls).toContain('stopContainer web 7');
    expect(h.network.attachments.size).toBe(0);
    expect(h.runtime.containers.size).toBe(0);
    expect(h.runtime.sandboxes.size).toBe(0);
    expect(h.deleted).toEqual(['default/web/uid-1']);
    expect(h.events.map((e) => e.reason)).toContain('Killing');
  });

  it('removes a pod that left the API, and adopts running pods after a restart without touching them', async () => {
    h = await podHarness();
    const p = pod();
    await h.apply(p);
    const before = [...h.runtime.containers.keys()];

    // A new controller on the same runtime and root dir: the kubelet restarted.
    const restarted = await podHarness({ runtime: h.runtime, network: h.network, rootDir: h.rootDir });
    const callsBefore = h.runtime.calls.length;
    await restarted.apply(withStatus(p, h));
    expect([...h.runtime.containers.keys()]).toEqual(before);
    expect(h.runtime.calls.slice(callsBefore).filter((c) => !c.startsWith('execSync'))).toEqual([]);
    expect(restarted.statusManager.statusOf('uid-1')?.podIP).toBe('10.244.9.2');

    restarted.controller.remove(p);
    await restarted.workers.idle();
    expect(h.runtime.containers.size).toBe(0);
    expect(h.runtime.sandboxes.size).toBe(0);
    expect(h.network.attachments.size).toBe(0);
    restarted.workers.stop();
  });

  it('kills and restarts a container whose liveness probe failed', async () => {
    h = await podHarness();
    let p = pod({
      containers: [{ name: 'web', image: 'busybox:1.35', livenessProbe: { exec: { command: ['false'] } } }],
    });
    await h.apply(p);
    const first = h.runtime.byName('web')[0]!;
    h.probeResults.set('liveness', first.id, 'failure', 'uid-1');
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.runtime.calls).toContain('stopContainer web 30');
    expect(h.runtime.byName('web')).toHaveLength(2);
    expect(h.events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container web failed liveness probe, will be restarted',
    );
    expect(h.lastStatus()?.containerStatuses?.[0]?.restartCount).toBe(1);
  });

  it('turns a pod not Ready when its readiness probe fails, without a restart', async () => {
    h = await podHarness();
    let p = pod({ containers: [{ name: 'web', image: 'busybox:1.35', readinessProbe: { httpGet: { port: 8080 } } }] });
    await h.apply(p);
    const id = h.runtime.byName('web')[0]!.id;
    expect(h.lastStatus()?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    h.probeResults.set('readiness', id, 'success', 'uid-1');
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.lastStatus()?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    h.probeResults.set('readiness', id, 'failure', 'uid-1');
    p = withStatus(p, h);
    await h.sync(p);
    expect(h.lastStatus()?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
    });
    expect(h.runtime.byName('web')).toHaveLength(1);
    expect(h.lastStatus()?.containerStatuses?.[0]).toMatchObject({
      ready: false,
      restartCount: 0,
      state: { running: {} },
    });
  });

  it('rejects a pod the node has no room for: Failed with OutOfpods, nothing started', async () => {
    h = await podHarness({ capacity: { pods: 1, cpuMilli: 2000, memoryBytes: 1 << 30 } });
    await h.apply(pod());
    const second: Pod = { ...pod(), metadata: { name: 'extra', namespace: 'default', uid: 'uid-2' } };
    await h.apply(second);
    expect(h.lastStatus()).toMatchObject({ phase: 'Failed', reason: 'OutOfpods' });
    expect(h.runtime.calls.filter((c) => c.startsWith('runPodSandbox'))).toEqual(['runPodSandbox web']);
    expect(h.events.map((e) => e.reason)).toContain('OutOfpods');
    // Once Failed, later syncs leave it alone.
    await h.apply({ ...second, status: h.lastStatus() });
    expect(h.runtime.calls.filter((c) => c.startsWith('runPodSandbox'))).toEqual(['runPodSandbox web']);
  });

  it('reports FailedMount and keeps containers waiting while a configMap volume is missing', async () => {
    h = await podHarness();
    const p = pod({
      volumes: [{ name: 'cfg', configMap: { name: 'settings' } }],
      containers: [{ name: 'web', image: 'busybox:1.35', volumeMounts: [{ name: 'cfg', mountPath: '/cfg' }] }],
    });
    await h.apply(p);
    expect(h.runtime.containers.size).toBe(0);
    expect(h.events.find((e) => e.reason === 'FailedMount')?.message).toBe(
      'MountVolume.SetUp failed for volume "cfg" : configmap "settings" not found',
    );
    expect(h.lastStatus()?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('ContainerCreating');
    h.configMaps.set('settings', { metadata: { name: 'settings' }, data: { a: '1' } });
    await h.sync(withStatus(p, h));
    expect(h.runtime.byName('web')[0]?.config.mounts).toContainEqual(
      expect.objectContaining({ containerPath: '/cfg', readonly: false }),
    );
  });
});
