import {
  type ContainerConfig,
  type ContainerEventResponse,
  ContainerEventType,
  ContainerState,
  type PodSandboxConfig,
  PodSandboxState,
} from '@tkube/api/cri';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeRuntime, KILLED_EXIT_CODE } from './fake-runtime.js';
import { ImageStore } from './image-store.js';
import { IpPool } from './ip-pool.js';
import { ManualClock } from './testing/manual-clock.js';

function podConfig(name: string, labels: Record<string, string> = {}): PodSandboxConfig {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
    hostname: name,
    logDirectory: `/var/log/pods/default_${name}_uid-${name}`,
    portMappings: [],
    labels,
    annotations: { 'kubernetes.io/config.source': 'api' },
  };
}

function containerConfig(
  name: string,
  options: { image?: string; env?: Record<string, string>; attempt?: number } = {},
): ContainerConfig {
  return {
    metadata: { name, attempt: options.attempt ?? 0 },
    image: { image: options.image ?? 'busybox:1.35', annotations: {}, userSpecifiedImage: '' },
    command: ['httpd'],
    args: ['-f'],
    workingDir: '',
    envs: Object.entries(options.env ?? {}).map(([key, value]) => ({ key, value })),
    mounts: [],
    devices: [],
    labels: { 'io.kubernetes.container.name': name },
    annotations: {},
    logPath: `${name}/${options.attempt ?? 0}.log`,
    stdin: false,
    stdinOnce: false,
    tty: false,
  };
}

describe('FakeRuntime', () => {
  let clock: ManualClock;
  let runtime: FakeRuntime;

  beforeEach(() => {
    clock = new ManualClock();
    runtime = new FakeRuntime({
      images: new ImageStore(['busybox:1.35', 'tkube/pause:3.10']),
      ipPool: new IpPool('10.88.0.0/16'),
      clock,
    });
  });

  const runningContainer = (sandboxId: string, name: string, env?: Record<string, string>) => {
    const id = runtime.createContainer(sandboxId, containerConfig(name, { env }));
    runtime.startContainer(id);
    return id;
  };

  describe('container events', () => {
    const { CONTAINER_CREATED_EVENT, CONTAINER_STARTED_EVENT, CONTAINER_STOPPED_EVENT, CONTAINER_DELETED_EVENT } =
      ContainerEventType;

    it('tells each state change of sandboxes and containers, with the pod and its container statuses', () => {
      const events: ContainerEventResponse[] = [];
      const unsubscribe = runtime.onContainerEvent((event) => events.push(event));
      const sandboxId = runtime.runPodSandbox(podConfig('web'));
      const containerId = runningContainer(sandboxId, 'app');
      runtime.exitContainer(containerId, 1);
      runtime.removeContainer(containerId);
      runtime.stopPodSandbox(sandboxId);
      runtime.removePodSandbox(sandboxId);

      expect(events.map((e) => [e.containerId, e.containerEventType])).toEqual([
        [sandboxId, CONTAINER_CREATED_EVENT],
        [sandboxId, CONTAINER_STARTED_EVENT],
        [containerId, CONTAINER_CREATED_EVENT],
        [containerId, CONTAINER_STARTED_EVENT],
        [containerId, CONTAINER_STOPPED_EVENT],
        [containerId, CONTAINER_DELETED_EVENT],
        [sandboxId, CONTAINER_STOPPED_EVENT],
        [sandboxId, CONTAINER_DELETED_EVENT],
      ]);
      const exited = events[4];
      expect(exited?.podSandboxStatus).toMatchObject({ id: sandboxId, metadata: { uid: 'uid-web' } });
      expect(exited?.containersStatuses.map((c) => [c.id, c.state, c.exitCode])).toEqual([
        [containerId, ContainerState.CONTAINER_EXITED, 1],
      ]);
      expect(exited?.createdAt).toBe(BigInt(clock.now()) * 1_000_000n);

      unsubscribe();
      runtime.runPodSandbox(podConfig('later'));
      expect(events).toHaveLength(8);
    });

    it('tells a scripted exit and the kills of a stopping sandbox', () => {
      const sandboxId = runtime.runPodSandbox(podConfig('web'));
      const scripted = runningContainer(sandboxId, 'crash', { FAKE_EXIT_AFTER_MS: '500', FAKE_EXIT_CODE: '3' });
      const server = runningContainer(sandboxId, 'server');
      const events: ContainerEventResponse[] = [];
      runtime.onContainerEvent((event) => events.push(event));
      clock.advance(500);
      runtime.stopPodSandbox(sandboxId);
      expect(events.map((e) => [e.containerId, e.containerEventType])).toEqual([
        [scripted, CONTAINER_STOPPED_EVENT],
        [server, CONTAINER_STOPPED_EVENT],
        [sandboxId, CONTAINER_STOPPED_EVENT],
      ]);
    });
  });

  describe('sandboxes', () => {
    it('runs a READY sandbox with metadata, labels, annotations, a creation time and a fake IP', () => {
      const id = runtime.runPodSandbox(podConfig('web', { app: 'web' }));
      const { status } = runtime.podSandboxStatus(id);
      expect(id).toMatch(/^[0-9a-f]{64}$/);
      expect(status).toMatchObject({
        id,
        state: PodSandboxState.SANDBOX_READY,
        metadata: { name: 'web', namespace: 'default', uid: 'uid-web', attempt: 0 },
        network: { ip: '10.88.0.2' },
        annotations: { 'kubernetes.io/config.source': 'api' },
      });
      expect(status?.labels).toMatchObject({
        app: 'web',
        'io.kubernetes.pod.name': 'web',
        'io.kubernetes.pod.uid': 'uid-web',
      });
      expect(status?.createdAt).toBe(BigInt(clock.now()) * 1_000_000n);
    });

    it('keeps the DNS config it was given, in the record and the verbose status', () => {
      const dnsConfig = { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local'], options: ['ndots:5'] };
      const id = runtime.runPodSandbox({ ...podConfig('dns'), dnsConfig });
      expect(runtime.sandboxDnsConfig(id)).toEqual(dnsConfig);
      expect(JSON.parse(runtime.podSandboxStatus(id, true).info.info ?? '{}').dnsConfig).toEqual(dnsConfig);
      const plain = runtime.runPodSandbox(podConfig('plain'));
      expect(runtime.sandboxDnsConfig(plain)).toBeUndefined();
      expect(JSON.parse(runtime.podSandboxStatus(plain, true).info.info ?? '{}')).not.toHaveProperty('dnsConfig');
    });

    it('gives each sandbox its own IP and takes it back when the sandbox stops', () => {
      const first = runtime.runPodSandbox(podConfig('a'));
      const second = runtime.runPodSandbox(podConfig('b'));
      expect(runtime.podSandboxStatus(second).status?.network?.ip).toBe('10.88.0.3');
      runtime.stopPodSandbox(first);
      expect(runtime.podSandboxStatus(first).status).toMatchObject({
        state: PodSandboxState.SANDBOX_NOTREADY,
        network: { ip: '' },
      });
    });

    it('gives sandboxes created after a pod CIDR update IPs from it, and old IPs back to their pool', () => {
      const before = runtime.runPodSandbox(podConfig('before'));
      expect(runtime.updatePodCidr('10.244.3.0/24')).toBe(true);
      expect(runtime.podCidr).toBe('10.244.3.0/24');
      const after = runtime.runPodSandbox(podConfig('after'));
      expect(runtime.podSandboxStatus(before).status?.network?.ip).toBe('10.88.0.2');
      expect(runtime.podSandboxStatus(after).status?.network?.ip).toBe('10.244.3.2');

      // Back to the first CIDR: its pool still holds 10.88.0.2 for "before", so the next is .3.
      expect(runtime.updatePodCidr('10.88.0.0/16')).toBe(true);
      expect(runtime.podSandboxStatus(runtime.runPodSandbox(podConfig('again'))).status?.network?.ip).toBe('10.88.0.3');
      runtime.stopPodSandbox(after);
      expect(runtime.updatePodCidr('10.244.3.0/24')).toBe(true);
      expect(runtime.podSandboxStatus(runtime.runPodSandbox(podConfig('third'))).status?.network?.ip).toBe(
        '10.244.3.3',
      );
    });

    it('keeps its pod CIDR for an empty or equal update, and refuses one that is not an IPv4 CIDR', () => {
      expect(runtime.updatePodCidr('')).toBe(false);
      expect(runtime.updatePodCidr('10.88.7.1/16')).toBe(false);
      expect(() => runtime.updatePodCidr('fd00::/64')).toThrow(expect.objectContaining({ code: 400 }));
      expect(() => runtime.updatePodCidr('10.244.0.0')).toThrow(/invalid pod CIDR "10.244.0.0"/);
      expect(runtime.podCidr).toBe('10.88.0.0/16');
    });

    it('answers the same id for a READY sandbox asked for twice, a new one after it stopped', () => {
      const first = runtime.runPodSandbox(podConfig('web'));
      expect(runtime.runPodSandbox(podConfig('web'))).toBe(first);
      runtime.stopPodSandbox(first);
      const second = runtime.runPodSandbox(podConfig('web'));
      expect(second).not.toBe(first);
      expect(runtime.listPodSandbox().map((sandbox) => sandbox.id)).toEqual([second]);
    });

    it('refuses a sandbox without metadata', () => {
      expect(() => runtime.runPodSandbox({ ...podConfig('x'), metadata: undefined })).toThrow(
        expect.objectContaining({ reason: 'BadRequest' }),
      );
    });

    it('kills running containers when the sandbox stops, and leaves created ones as they are', () => {
      const sandbox = runtime.runPodSandbox(podConfig('web'));
      const running = runningContainer(sandbox, 'app');
      const created = runtime.createContainer(sandbox, containerConfig('side'));
      runtime.stopPodSandbox(sandbox);
      expect(runtime.containerStatus(running).status).toMatchObject({
        state: ContainerState.CONTAINER_EXITED,
        exitCode: KILLED_EXIT_CODE,
        reason: 'Error',
      });
      expect(runtime.containerStatus(created).status?.state).toBe(ContainerState.CONTAINER_CREATED);
      expect(() => runtime.createContainer(sandbox, containerConfig('late'))).toThrow(/is not ready/);
    });

    it('removes the sandbox with its containers; stop and remove of a missing sandbox succeed', () => {
      const sandbox = runtime.runPodSandbox(podConfig('web'));
      const container = runningContainer(sandbox, 'app');
      runtime.removePodSandbox(sandbox);
      expect(() => runtime.podSandboxStatus(sandbox)).toThrow(expect.objectContaining({ reason: 'NotFound' }));
      expect(() => runtime.containerStatus(container)).toThrow(expect.objectContaining({ reason: 'NotFound' }));
      expect(runtime.sandboxCount + runtime.containerCount).toBe(0);
      expect(() => runtime.removePodSandbox(sandbox)).not.toThrow();
      expect(() => runtime.stopPodSandbox(sandbox)).not.toThrow();
    });

    it('filters sandboxes by id (exact or prefix), state and labels, ANDed', () => {
      const web = runtime.runPodSandbox(podConfig('web', { app: 'web', tier: 'front' }));
      const db = runtime.runPodSandbox(podConfig('db', { app: 'db' }));
      runtime.stopPodSandbox(db);
      const ids = (filter: Parameters<FakeRuntime['listPodSandbox']>[0]) =>
        runtime.listPodSandbox(filter).map((s) => s.id);
      expect(ids(undefined).sort()).toEqual([web, db].sort());
      expect(ids({ id: web, labelSelector: {} })).toEqual([web]);
      expect(ids({ id: db.slice(0, 12), labelSelector: {} })).toEqual([db]);
      expect(ids({ id: '', state: { state: PodSandboxState.SANDBOX_READY }, labelSelector: {} })).toEqual([web]);
      expect(ids({ id: '', state: { state: PodSandboxState.SANDBOX_NOTREADY }, labelSelector: {} })).toEqual([db]);
      expect(ids({ id: '', labelSelector: { app: 'web', tier: 'front' } })).toEqual([web]);
      expect(ids({ id: '', labelSelector: { 'io.kubernetes.pod.name': 'db' } })).toEqual([db]);
      expect(ids({ id: web, state: { state: PodSandboxState.SANDBOX_NOTREADY }, labelSelector: {} })).toEqual([]);
    });
  });

  describe('containers', () => {
    let sandbox: string;
    beforeEach(() => {
      sandbox = runtime.runPodSandbox(podConfig('web'));
    });

    it('goes CREATED -> RUNNING -> EXITED -> removed, with its times', () => {
      const id = runtime.createContainer(sandbox, containerConfig('app'));
      const created = runtime.containerStatus(id).status;
      expect(created).toMatchObject({
        state: ContainerState.CONTAINER_CREATED,
        startedAt: 0n,
        image: { image: 'busybox:1.35' },
        logPath: '/var/log/pods/default_web_uid-web/app/0.log',
      });
      expect(created?.imageRef).toBe(runtime.images.find('busybox:1.35')?.id);
      expect(created?.labels).toMatchObject({ 'io.kubernetes.container.name': 'app', 'io.kubernetes.pod.name': 'web' });

      clock.advance(5);
      runtime.startContainer(id);
      const running = runtime.containerStatus(id).status;
      expect(running?.state).toBe(ContainerState.CONTAINER_RUNNING);
      expect(running?.startedAt).toBe(BigInt(clock.now()) * 1_000_000n);
      expect(running?.startedAt).toBeGreaterThan(created?.createdAt ?? 0n);

      clock.advance(5);
      runtime.stopContainer(id, 30);
      expect(runtime.containerStatus(id).status).toMatchObject({
        state: ContainerState.CONTAINER_EXITED,
        exitCode: 0,
        reason: 'Completed',
        finishedAt: (running?.startedAt ?? 0n) + 5_000_000n,
      });

      runtime.removeContainer(id);
      expect(() => runtime.containerStatus(id)).toThrow(expect.objectContaining({ reason: 'NotFound' }));
      expect(() => runtime.removeContainer(id)).not.toThrow();
    });

    it('gives strictly increasing creation times within one millisecond', () => {
      const first = runtime.createContainer(sandbox, containerConfig('a'));
      const second = runtime.createContainer(sandbox, containerConfig('b'));
      const created = (id: string) => runtime.containerStatus(id).status?.createdAt ?? 0n;
      expect(created(second)).toBeGreaterThan(created(first));
    });

    it("answers SIGKILL's exit code for a stop with no grace period, and leaves a stopped container alone", () => {
      const id = runningContainer(sandbox, 'app');
      runtime.stopContainer(id, 0);
      expect(runtime.containerStatus(id).status).toMatchObject({ exitCode: KILLED_EXIT_CODE, reason: 'Error' });
      runtime.stopContainer(id, 30);
      expect(runtime.containerStatus(id).status?.exitCode).toBe(KILLED_EXIT_CODE);
      expect(() => runtime.stopContainer('missing', 30)).not.toThrow();
    });

    it('refuses an image that is not present with NotFound naming it', () => {
      expect(() => runtime.createContainer(sandbox, containerConfig('app', { image: 'nginx:1.27' }))).toThrow(
        expect.objectContaining({ reason: 'NotFound', message: 'image "nginx:1.27" not found' }),
      );
      runtime.images.pull('nginx:1.27');
      expect(
        runtime.createContainer(sandbox, containerConfig('app', { image: 'docker.io/library/nginx:1.27' })),
      ).toMatch(/^[0-9a-f]{64}$/);
    });

    it('refuses a container in a missing sandbox, and a start that is not from CREATED', () => {
      expect(() => runtime.createContainer('nope', containerConfig('app'))).toThrow(
        expect.objectContaining({ reason: 'NotFound' }),
      );
      const id = runningContainer(sandbox, 'app');
      expect(() => runtime.startContainer(id)).toThrow(/CONTAINER_RUNNING, not CONTAINER_CREATED/);
      expect(() => runtime.startContainer('nope')).toThrow(expect.objectContaining({ reason: 'NotFound' }));
    });

    it("replaces an exited container of the same name and attempt, and answers a running one's id", () => {
      const first = runningContainer(sandbox, 'app');
      expect(runtime.createContainer(sandbox, containerConfig('app'))).toBe(first);
      runtime.stopContainer(first, 10);
      const second = runtime.createContainer(sandbox, containerConfig('app'));
      expect(second).not.toBe(first);
      expect(runtime.listContainers().map((c) => c.id)).toEqual([second]);
      const nextAttempt = runtime.createContainer(sandbox, containerConfig('app', { attempt: 1 }));
      expect(runtime.listContainers().map((c) => c.id)).toEqual([second, nextAttempt]);
    });

    it('exits FAKE_EXIT_AFTER_MS after the start, with FAKE_EXIT_CODE', () => {
      const id = runningContainer(sandbox, 'crash', { FAKE_EXIT_AFTER_MS: '100', FAKE_EXIT_CODE: '3' });
      clock.advance(99);
      expect(runtime.containerStatus(id).status?.state).toBe(ContainerState.CONTAINER_RUNNING);
      clock.advance(1);
      expect(runtime.containerStatus(id).status).toMatchObject({
        state: ContainerState.CONTAINER_EXITED,
        exitCode: 3,
        reason: 'Error',
      });
      expect(clock.pendingTimers).toBe(0);
    });

    it('completes with 0 when only FAKE_EXIT_AFTER_MS is set, and arms no timer before the start', () => {
      const id = runtime.createContainer(sandbox, containerConfig('job', { env: { FAKE_EXIT_AFTER_MS: '10' } }));
      clock.advance(50);
      expect(runtime.containerStatus(id).status?.state).toBe(ContainerState.CONTAINER_CREATED);
      runtime.startContainer(id);
      clock.advance(10);
      expect(runtime.containerStatus(id).status).toMatchObject({ exitCode: 0, reason: 'Completed' });
    });

    it('cancels the scripted exit when the container is stopped or removed first', () => {
      const stopped = runningContainer(sandbox, 'a', { FAKE_EXIT_AFTER_MS: '100', FAKE_EXIT_CODE: '9' });
      const removed = runningContainer(sandbox, 'b', { FAKE_EXIT_AFTER_MS: '100' });
      expect(clock.pendingTimers).toBe(2);
      runtime.stopContainer(stopped, 30);
      runtime.removeContainer(removed);
      expect(clock.pendingTimers).toBe(0);
      clock.advance(200);
      expect(runtime.containerStatus(stopped).status?.exitCode).toBe(0);
    });

    it('refuses a malformed scripted behaviour at create', () => {
      expect(() =>
        runtime.createContainer(sandbox, containerConfig('bad', { env: { FAKE_EXIT_AFTER_MS: 'soon' } })),
      ).toThrow(expect.objectContaining({ reason: 'BadRequest' }));
      expect(runtime.containerCount).toBe(0);
    });

    it('answers ExecSync with FAKE_EXEC_EXIT_CODE and no output, only while running', () => {
      const healthy = runningContainer(sandbox, 'ok');
      const failing = runningContainer(sandbox, 'probe', { FAKE_EXEC_EXIT_CODE: '1' });
      expect(runtime.execSync(healthy, ['cat', '/tmp/healthy'])).toEqual({
        stdout: Buffer.alloc(0),
        stderr: Buffer.alloc(0),
        exitCode: 0,
      });
      expect(runtime.execSync(failing, ['cat', '/tmp/healthy']).exitCode).toBe(1);
      expect(() => runtime.execSync(healthy, [])).toThrow(/needs a command/);
      runtime.stopContainer(healthy, 1);
      expect(() => runtime.execSync(healthy, ['true'])).toThrow(/is not running/);
    });

    it('lets a test crash a running container', () => {
      const id = runningContainer(sandbox, 'app');
      runtime.exitContainer(id, 2);
      expect(runtime.containerStatus(id).status).toMatchObject({
        state: ContainerState.CONTAINER_EXITED,
        exitCode: 2,
        reason: 'Error',
      });
      expect(() => runtime.exitContainer(id, 1)).toThrow(/is not running/);
    });

    it('keeps updated resources and reports them in the status and the stats', () => {
      const id = runningContainer(sandbox, 'app');
      const limits = {
        cpuPeriod: 100_000n,
        cpuQuota: 50_000n,
        cpuShares: 512n,
        memoryLimitInBytes: 64n * 1024n * 1024n,
        oomScoreAdj: 0n,
        cpusetCpus: '',
        cpusetMems: '',
        unified: {},
        memorySwapLimitInBytes: 0n,
      };
      runtime.updateContainerResources(id, limits);
      expect(runtime.containerStatus(id).status?.resources?.linux).toEqual(limits);
      const stats = runtime.containerStats(id);
      expect(stats.memory?.availableBytes?.value).toBe(60n * 1024n * 1024n);
      expect(() => runtime.updateContainerResources('nope', limits)).toThrow(
        expect.objectContaining({ reason: 'NotFound' }),
      );
    });

    it('reports small steady stats for running containers only in the list', () => {
      const running = runningContainer(sandbox, 'app');
      const exited = runningContainer(sandbox, 'done');
      runtime.stopContainer(exited, 1);
      const startedAt = runtime.containerStatus(running).status?.startedAt ?? 0n;
      clock.advance(2_000);
      const stats = runtime.listContainerStats();
      expect(stats.map((s) => s.attributes?.id)).toEqual([running]);
      // 1 millicore for the time it ran: 1 ms of CPU per second.
      const ranNanos = BigInt(clock.now()) * 1_000_000n - startedAt;
      expect(stats[0]?.cpu?.usageCoreNanoSeconds?.value).toBe(ranNanos / 1000n);
      expect(ranNanos / 1000n).toBeGreaterThan(1_999_000n);
      expect(stats[0]?.memory?.workingSetBytes?.value).toBeGreaterThan(0n);
      expect(runtime.containerStats(exited).memory?.workingSetBytes?.value).toBe(0n);
    });

    it('filters containers by id, state, sandbox and labels, ANDed', () => {
      const other = runtime.runPodSandbox(podConfig('db'));
      const app = runningContainer(sandbox, 'app');
      const side = runtime.createContainer(sandbox, containerConfig('side'));
      const db = runningContainer(other, 'db');
      const ids = (filter: Parameters<FakeRuntime['listContainers']>[0]) =>
        runtime
          .listContainers(filter)
          .map((c) => c.id)
          .sort();
      const none = { id: '', podSandboxId: '', labelSelector: {} };
      expect(ids(undefined)).toEqual([app, side, db].sort());
      expect(ids({ ...none, id: app })).toEqual([app]);
      expect(ids({ ...none, id: db.slice(0, 12) })).toEqual([db]);
      expect(ids({ ...none, podSandboxId: sandbox })).toEqual([app, side].sort());
      expect(ids({ ...none, podSandboxId: 'gone' })).toEqual([]);
      expect(ids({ ...none, state: { state: ContainerState.CONTAINER_RUNNING } })).toEqual([app, db].sort());
      expect(ids({ ...none, podSandboxId: sandbox, state: { state: ContainerState.CONTAINER_CREATED } })).toEqual([
        side,
      ]);
      expect(ids({ ...none, labelSelector: { 'io.kubernetes.container.name': 'db' } })).toEqual([db]);
      expect(ids({ ...none, id: db, podSandboxId: sandbox })).toEqual([]);
      const listed = runtime.listContainers({ ...none, id: app })[0];
      expect(listed).toMatchObject({
        podSandboxId: sandbox,
        metadata: { name: 'app' },
        state: ContainerState.CONTAINER_RUNNING,
      });
    });
  });

  it('cancels every pending scripted exit on close', () => {
    const sandbox = runtime.runPodSandbox(podConfig('web'));
    const id = runtime.createContainer(sandbox, containerConfig('app', { env: { FAKE_EXIT_AFTER_MS: '10' } }));
    runtime.startContainer(id);
    runtime.close();
    expect(clock.pendingTimers).toBe(0);
  });
});
