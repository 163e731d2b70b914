import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerConfig, ContainerState, PodSandboxConfig, PodSandboxState } from '@tkube/api/cri';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerService } from './containers.js';
import { ImageService } from './images.js';
import { encodeFrame } from './logs/docker-frames.js';
import { LogManager } from './logs/log-manager.js';
import { SandboxDnsFiles } from './sandbox-dns-files.js';
import { SandboxService } from './sandboxes.js';
import { FakeEngine } from './testing/fake-engine.js';

const logger = pino({ level: 'silent' });

function podConfig(name: string, logDirectory = '', labels: Record<string, string> = {}) {
  return PodSandboxConfig.fromPartial({
    metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
    hostname: name,
    logDirectory,
    labels,
    annotations: { owner: name },
  });
}

function appConfig(name: string, labels: Record<string, string> = {}) {
  return ContainerConfig.fromPartial({
    metadata: { name },
    image: { image: 'busybox:1.35' },
    logPath: `${name}/0.log`,
    labels,
  });
}

describe('sandboxes and containers over a fake Docker', () => {
  let engine: FakeEngine;
  let logs: LogManager;
  let sandboxes: SandboxService;
  let containers: ContainerService;
  let dir: string;

  let dnsFiles: SandboxDnsFiles;

  beforeEach(() => {
    engine = new FakeEngine();
    engine.addImage('busybox:1.35');
    engine.addImage('tkube/pause:3.10');
    logs = new LogManager(engine, logger);
    dir = mkdtempSync(join(tmpdir(), 'cri-docker-unit-'));
    dnsFiles = new SandboxDnsFiles(join(dir, 'root'));
    sandboxes = new SandboxService({
      engine,
      logs,
      pauseImage: 'tkube/pause:3.10',
      logger,
      podIps: async () => ['10.244.0.9'],
      dnsFiles,
    });
    containers = new ContainerService({ engine, logs, logger, dnsFiles });
  });

  afterEach(async () => {
    await logs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a sandbox and reports its state, IP, netns path and annotations', async () => {
    const id = await sandboxes.run(podConfig('web'));
    const status = await sandboxes.status(id);
    expect(status.status?.state).toBe(PodSandboxState.SANDBOX_READY);
    expect(status.status?.network?.ip).toBe('10.244.0.9');
    expect(status.info.netnsPath).toBe('/proc/4242/ns/net');
    expect(status.status?.annotations).toEqual({ owner: 'web' });
    expect(status.status?.metadata?.name).toBe('web');
  });

  it("writes the sandbox's resolv.conf from its DNS config and mounts it into each of its containers", async () => {
    const config = PodSandboxConfig.fromPartial({
      ...podConfig('web'),
      dnsConfig: {
        servers: ['10.96.0.10'],
        searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
        options: ['ndots:5'],
      },
    });
    const sandboxId = await sandboxes.run(config);
    const path = join(dir, 'root', 'sandboxes', sandboxId, 'resolv.conf');
    expect(readFileSync(path, 'utf8')).toBe(
      'nameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    );
    const app = await containers.create(sandboxId, appConfig('app'), config);
    const side = await containers.create(sandboxId, appConfig('side'), undefined);
    for (const id of [app, side]) {
      expect(engine.containers.get(id)?.spec.binds).toEqual([`${path}:/etc/resolv.conf`]);
    }
    // A container that mounts its own /etc/resolv.conf keeps it; a read-only root gets it read-only.
    const own = ContainerConfig.fromPartial({
      ...appConfig('own'),
      mounts: [{ hostPath: '/srv/resolv.conf', containerPath: '/etc/resolv.conf' }],
    });
    const ownId = await containers.create(sandboxId, own, config);
    expect(engine.containers.get(ownId)?.spec.binds).toEqual(['/srv/resolv.conf:/etc/resolv.conf']);
    const readonly = ContainerConfig.fromPartial({
      ...appConfig('ro'),
      linux: { securityContext: { readonlyRootfs: true } },
    });
    const readonlyId = await containers.create(sandboxId, readonly, config);
    expect(engine.containers.get(readonlyId)?.spec.binds).toEqual([`${path}:/etc/resolv.conf:ro`]);

    await sandboxes.stop(sandboxId);
    await sandboxes.remove(sandboxId);
    expect(existsSync(join(dir, 'root', 'sandboxes', sandboxId))).toBe(false);
  });

  it("keeps Docker's resolv.conf for a sandbox without a DNS config", async () => {
    const sandboxId = await sandboxes.run(podConfig('plain'));
    expect(existsSync(join(dir, 'root', 'sandboxes', sandboxId))).toBe(false);
    const id = await containers.create(sandboxId, appConfig('app'), podConfig('plain'));
    expect(engine.containers.get(id)?.spec.binds).toEqual([]);
  });

  it('filters sandboxes by id prefix, state and labels', async () => {
    const a = await sandboxes.run(podConfig('a', '', { app: 'x' }));
    const b = await sandboxes.run(podConfig('b', '', { app: 'y' }));
    await sandboxes.stop(b);
    expect((await sandboxes.list(undefined)).map((s) => s.id).sort()).toEqual([a, b].sort());
    expect((await sandboxes.list({ id: a.slice(0, 6), labelSelector: {} })).map((s) => s.id)).toEqual([a]);
    const ready = await sandboxes.list({ id: '', labelSelector: {}, state: { state: PodSandboxState.SANDBOX_READY } });
    expect(ready.map((s) => s.id)).toEqual([a]);
    expect((await sandboxes.list({ id: '', labelSelector: { app: 'y' } })).map((s) => s.id)).toEqual([b]);
  });

  it('stops the containers of a sandbox, then removes everything; both twice without error', async () => {
    const sandboxId = await sandboxes.run(podConfig('web'));
    const containerId = await containers.create(sandboxId, appConfig('app'), podConfig('web'));
    await containers.start(containerId);
    await sandboxes.stop(sandboxId);
    expect(engine.calls).toContain(`stop ${containerId} 0`);
    expect((await containers.status(containerId, false)).status?.state).toBe(ContainerState.CONTAINER_EXITED);
    await sandboxes.stop(sandboxId);
    await sandboxes.remove(sandboxId);
    await sandboxes.remove(sandboxId);
    expect(engine.containers.size).toBe(0);
    await expect(sandboxes.status(sandboxId)).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('filters containers by sandbox, state and label', async () => {
    const one = await sandboxes.run(podConfig('one'));
    const two = await sandboxes.run(podConfig('two'));
    const a = await containers.create(one, appConfig('a', { role: 'web' }), podConfig('one'));
    const b = await containers.create(one, appConfig('b'), podConfig('one'));
    const c = await containers.create(two, appConfig('c', { role: 'web' }), podConfig('two'));
    await containers.start(b);
    const ids = async (filter: Parameters<ContainerService['list']>[0]) =>
      (await containers.list(filter)).map((x) => x.id).sort();
    expect(await ids(undefined)).toEqual([a, b, c].sort());
    expect(await ids({ id: '', podSandboxId: one, labelSelector: {} })).toEqual([a, b].sort());
    expect(await ids({ id: '', podSandboxId: '', labelSelector: { role: 'web' } })).toEqual([a, c].sort());
    expect(
      await ids({ id: '', podSandboxId: '', labelSelector: {}, state: { state: ContainerState.CONTAINER_RUNNING } }),
    ).toEqual([b]);
    expect(await ids({ id: c, podSandboxId: '', labelSelector: {} })).toEqual([c]);
    // Sandboxes are not containers.
    await expect(containers.status(one, false)).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('refuses a container in a missing sandbox', async () => {
    await expect(containers.create('nope', appConfig('a'), podConfig('x'))).rejects.toMatchObject({
      reason: 'NotFound',
    });
  });

  it('replaces a leftover container of the same name that is not running', async () => {
    const sandboxId = await sandboxes.run(podConfig('web'));
    const first = await containers.create(sandboxId, appConfig('app'), podConfig('web'));
    const second = await containers.create(sandboxId, appConfig('app'), podConfig('web'));
    expect(second).not.toBe(first);
    expect(engine.containers.has(first)).toBe(false);
  });

  it('copies Docker output into the CRI log file and resumes without repeating lines', async () => {
    const sandboxId = await sandboxes.run(podConfig('web', dir));
    const id = await containers.create(sandboxId, appConfig('app'), podConfig('web', dir));
    engine.logChunks.set(id, [
      encodeFrame('stdout', '2024-05-01T10:00:00.000000001Z hello\n'),
      encodeFrame('stderr', '2024-05-01T10:00:00.000000002Z long'),
      encodeFrame('stderr', '2024-05-01T10:00:00.000000003Z  line\n'),
    ]);
    await containers.start(id);
    await logs.drained(id);
    const path = join(dir, 'app/0.log');
    const expected = [
      '2024-05-01T10:00:00.000000001Z stdout F hello',
      '2024-05-01T10:00:00.000000002Z stderr P long',
      '2024-05-01T10:00:00.000000003Z stderr F  line',
      '',
    ].join('\n');
    expect(readFileSync(path, 'utf8')).toBe(expected);
    // A restarted plugin reads the same history again (Docker's `since` is inclusive).
    engine.logChunks.set(id, [
      encodeFrame('stderr', '2024-05-01T10:00:00.000000003Z  line\n'),
      encodeFrame('stdout', '2024-05-01T10:00:01Z more\n'),
    ]);
    await containers.resumeLogs();
    await logs.drained(id);
    expect(readFileSync(path, 'utf8')).toBe(`${expected}2024-05-01T10:00:01Z stdout F more\n`);
  });

  it('reports stats of running containers', async () => {
    const sandboxId = await sandboxes.run(podConfig('web'));
    const id = await containers.create(sandboxId, appConfig('app'), podConfig('web'));
    await containers.start(id);
    const stats = await containers.listStats(undefined);
    expect(stats).toHaveLength(1);
    expect(stats[0].attributes?.metadata?.name).toBe('app');
    expect(stats[0].cpu?.usageCoreNanoSeconds?.value).toBe(123_000_000n);
    expect(stats[0].memory?.workingSetBytes?.value).toBe(2_000_000n);
  });
});

describe('images over a fake Docker', () => {
  it('answers a pull of a present image from the store, without pulling', async () => {
    const engine = new FakeEngine();
    const image = engine.addImage('busybox:1.35');
    const images = new ImageService(engine, 'tkube/pause:3.10');
    expect(await images.pull({ image: 'busybox:1.35', annotations: {}, userSpecifiedImage: '' }, undefined)).toBe(
      image.id,
    );
    expect(engine.calls.filter((call) => call.startsWith('pull'))).toEqual([]);
  });

  it('fails a pull of a missing image with the engine message', async () => {
    const images = new ImageService(new FakeEngine(), 'tkube/pause:3.10');
    await expect(
      images.pull({ image: 'nginx:1.27', annotations: {}, userSpecifiedImage: '' }, undefined),
    ).rejects.toThrow(/pull image "nginx:1.27".*no registry/);
  });

  it('lists, inspects and removes images idempotently, pinning the pause image', async () => {
    const engine = new FakeEngine();
    engine.addImage('busybox:1.35', { user: '1000' });
    engine.addImage('tkube/pause:3.10');
    const images = new ImageService(engine, 'tkube/pause:3.10');
    const listed = await images.list(undefined);
    expect(listed.find((image) => image.repoTags.includes('tkube/pause:3.10'))?.pinned).toBe(true);
    const status = await images.status({ image: 'busybox:1.35', annotations: {}, userSpecifiedImage: '' });
    expect(status?.uid?.value).toBe(1000n);
    await images.remove({ image: 'busybox:1.35', annotations: {}, userSpecifiedImage: '' });
    await images.remove({ image: 'busybox:1.35', annotations: {}, userSpecifiedImage: '' });
    expect(await images.status({ image: 'busybox:1.35', annotations: {}, userSpecifiedImage: '' })).toBeUndefined();
  });
});
