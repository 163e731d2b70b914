/**
 * The real tkube-cri-fake process on a temporary unix socket, driven by connectCri as the
 * kubelet drives a runtime.
 */

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { status as GrpcCode } from '@grpc/grpc-js';
import {
  type ContainerConfig,
  ContainerState,
  type CriConnection,
  connectCri,
  type DeepPartial,
  type PodSandboxConfig,
  PodSandboxState,
} from '@tkube/api/cri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const mainJs = join(repoRoot, 'plugins/cri-fake/dist/main.js');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let attempt = 0; Date.now() < deadline && attempt < 500; attempt++) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

const pod = (name: string, labels: Record<string, string> = {}): DeepPartial<PodSandboxConfig> => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 },
  logDirectory: `/var/log/pods/default_${name}_uid-${name}`,
  labels,
});

const container = (name: string, image: string, env: Record<string, string> = {}): DeepPartial<ContainerConfig> => ({
  metadata: { name, attempt: 0 },
  image: { image },
  command: ['httpd', '-f', '-p', '8080'],
  envs: Object.entries(env).map(([key, value]) => ({ key, value })),
  labels: { 'io.kubernetes.container.name': name },
  logPath: `${name}/0.log`,
});

describe('tkube-cri-fake process', () => {
  let dir: string;
  let socket: string;
  let child: ChildProcess;
  let cri: CriConnection;
  let stderr = '';

  beforeAll(async () => {
    await promisify(execFile)('npx', ['tsc', '-b', 'plugins/cri-fake'], { cwd: repoRoot, timeout: 120_000 });
    dir = await mkdtemp(join(tmpdir(), 'cri-fake-int-'));
    socket = join(dir, 'run', 'cri-fake.sock');
    child = spawn(
      process.execPath,
      [mainJs, '--listen', `unix://${socket}`, '--images', 'busybox:1.35,tkube/pause:3.10', '--log-level', 'warn'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    cri = connectCri(`unix://${socket}`);
    await waitFor('the runtime to answer Version', () => cri.runtimeApi.version({}, { timeoutMs: 500 }));
  });

  afterAll(async () => {
    cri?.close();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says it is the fake runtime, ready', async () => {
    expect(await cri.runtimeApi.version({ version: 'v1' })).toMatchObject({
      runtimeName: 'fake',
      runtimeApiVersion: 'v1',
    });
    const { status } = await cri.runtimeApi.status();
    expect(status?.conditions.every((condition) => condition.status)).toBe(true);
  });

  it('runs a sandbox and a container through their whole lifecycle', async () => {
    const api = cri.runtimeApi;
    const { podSandboxId } = await api.runPodSandbox({ config: pod('web', { app: 'web' }) });
    const sandbox = (await api.podSandboxStatus({ podSandboxId })).status;
    expect(sandbox).toMatchObject({
      state: PodSandboxState.SANDBOX_READY,
      metadata: { name: 'web' },
      labels: { app: 'web' },
    });
    expect(sandbox?.network?.ip).toMatch(/^10\.88\.\d+\.\d+$/);

    const { containerId } = await api.createContainer({ podSandboxId, config: container('app', 'busybox:1.35') });
    expect((await api.containerStatus({ containerId })).status?.state).toBe(ContainerState.CONTAINER_CREATED);
    await api.startContainer({ containerId });
    const running = (await api.containerStatus({ containerId })).status;
    expect(running).toMatchObject({
      state: ContainerState.CONTAINER_RUNNING,
      image: { image: 'busybox:1.35' },
      logPath: '/var/log/pods/default_web_uid-web/app/0.log',
    });
    expect(running?.startedAt).toBeGreaterThan(0n);
    expect(running?.imageRef).toMatch(/^sha256:/);
    expect((await api.execSync({ containerId, cmd: ['true'] })).exitCode).toBe(0);

    await api.stopContainer({ containerId, timeout: 30n });
    expect((await api.containerStatus({ containerId })).status).toMatchObject({
      state: ContainerState.CONTAINER_EXITED,
      exitCode: 0,
      reason: 'Completed',
    });
    await api.removeContainer({ containerId });
    await api.removeContainer({ containerId });
    await expect(api.containerStatus({ containerId })).rejects.toMatchObject({ code: GrpcCode.NOT_FOUND });

    await api.stopPodSandbox({ podSandboxId });
    expect((await api.podSandboxStatus({ podSandboxId })).status?.state).toBe(PodSandboxState.SANDBOX_NOTREADY);
    await api.removePodSandbox({ podSandboxId });
    await api.removePodSandbox({ podSandboxId });
    await expect(api.podSandboxStatus({ podSandboxId })).rejects.toMatchObject({ code: GrpcCode.NOT_FOUND });
  });

  it('exits a container FAKE_EXIT_AFTER_MS after its start with FAKE_EXIT_CODE, and fails probes on FAKE_EXEC_EXIT_CODE', async () => {
    const api = cri.runtimeApi;
    const { podSandboxId } = await api.runPodSandbox({ config: pod('crashy') });
    const { containerId } = await api.createContainer({
      podSandboxId,
      config: container('app', 'busybox:1.35', {
        FAKE_EXIT_AFTER_MS: '300',
        FAKE_EXIT_CODE: '1',
        FAKE_EXEC_EXIT_CODE: '2',
      }),
    });
    await api.startContainer({ containerId });
    const started = (await api.containerStatus({ containerId })).status;
    expect(started?.state).toBe(ContainerState.CONTAINER_RUNNING);
    expect((await api.execSync({ containerId, cmd: ['cat', '/tmp/healthy'] })).exitCode).toBe(2);

    const exited = await waitFor('the scripted exit', async () => {
      const { status } = await api.containerStatus({ containerId });
      return status?.state === ContainerState.CONTAINER_EXITED ? status : undefined;
    });
    expect(exited).toMatchObject({ exitCode: 1, reason: 'Error' });
    const ranMs = Number((exited.finishedAt - (started?.startedAt ?? 0n)) / 1_000_000n);
    expect(ranMs).toBeGreaterThanOrEqual(290);
    expect(ranMs).toBeLessThan(5_000);
    await api.removePodSandbox({ podSandboxId });
  });

  it('filters sandboxes and containers by id, state, sandbox and labels', async () => {
    const api = cri.runtimeApi;
    const { podSandboxId: front } = await api.runPodSandbox({ config: pod('front', { tier: 'front' }) });
    const { podSandboxId: back } = await api.runPodSandbox({ config: pod('back', { tier: 'back' }) });
    const { containerId: web } = await api.createContainer({
      podSandboxId: front,
      config: container('web', 'busybox:1.35'),
    });
    await api.startContainer({ containerId: web });
    const { containerId: sidecar } = await api.createContainer({
      podSandboxId: front,
      config: container('sidecar', 'busybox:1.35'),
    });
    const { containerId: db } = await api.createContainer({
      podSandboxId: back,
      config: container('db', 'busybox:1.35'),
    });
    await api.startContainer({ containerId: db });
    await api.stopPodSandbox({ podSandboxId: back });

    const sandboxIds = async (filter: Parameters<typeof api.listPodSandbox>[0]) =>
      (await api.listPodSandbox(filter)).items.map((item) => item.id).sort();
    expect(await sandboxIds({ filter: { labelSelector: { tier: 'front' } } })).toEqual([front]);
    expect(await sandboxIds({ filter: { state: { state: PodSandboxState.SANDBOX_NOTREADY } } })).toEqual([back]);
    expect(await sandboxIds({ filter: { id: back.slice(0, 12) } })).toEqual([back]);

    const containerIds = async (filter: Parameters<typeof api.listContainers>[0]) =>
      (await api.listContainers(filter)).containers.map((item) => item.id).sort();
    expect(await containerIds({ filter: { podSandboxId: front } })).toEqual([web, sidecar].sort());
    expect(await containerIds({ filter: { state: { state: ContainerState.CONTAINER_RUNNING } } })).toEqual([web]);
    expect(await containerIds({ filter: { state: { state: ContainerState.CONTAINER_EXITED } } })).toEqual([db]);
    expect(await containerIds({ filter: { labelSelector: { 'io.kubernetes.container.name': 'sidecar' } } })).toEqual([
      sidecar,
    ]);
    expect(await containerIds({ filter: { id: web, podSandboxId: back } })).toEqual([]);
    expect((await api.listContainerStats({})).stats.map((stats) => stats.attributes?.id)).toEqual([web]);

    await api.removePodSandbox({ podSandboxId: front });
    await api.removePodSandbox({ podSandboxId: back });
    expect((await api.listContainers({})).containers).toEqual([]);
  });

  it('refuses a container whose image is missing, pulls it, and fails pulls of missing images', async () => {
    const { runtimeApi, imageApi } = cri;
    const { podSandboxId } = await runtimeApi.runPodSandbox({ config: pod('images') });
    await expect(
      runtimeApi.createContainer({ podSandboxId, config: container('app', 'nginx:1.27') }),
    ).rejects.toMatchObject({ code: GrpcCode.NOT_FOUND, details: 'image "nginx:1.27" not found' });
    expect((await imageApi.imageStatus({ image: { image: 'nginx:1.27' } })).image).toBeUndefined();

    const { imageRef } = await imageApi.pullImage({ image: { image: 'nginx:1.27' } });
    expect((await imageApi.imageStatus({ image: { image: 'docker.io/library/nginx:1.27' } })).image?.id).toBe(imageRef);
    const { containerId } = await runtimeApi.createContainer({ podSandboxId, config: container('app', 'nginx:1.27') });
    expect((await runtimeApi.containerStatus({ containerId })).status?.imageRef).toBe(imageRef);

    await expect(imageApi.pullImage({ image: { image: 'registry.local/doesnotexist:1' } })).rejects.toMatchObject({
      code: GrpcCode.NOT_FOUND,
    });
    expect((await imageApi.listImages({})).images.flatMap((image) => image.repoTags).sort()).toEqual([
      'busybox:1.35',
      'nginx:1.27',
      'tkube/pause:3.10',
    ]);
    await runtimeApi.removePodSandbox({ podSandboxId });
  });

  it('answers Exec and Attach with UNIMPLEMENTED', async () => {
    await expect(cri.runtimeApi.exec({ containerId: 'x', cmd: ['sh'], stdout: true })).rejects.toMatchObject({
      code: GrpcCode.UNIMPLEMENTED,
    });
    await expect(cri.runtimeApi.attach({ containerId: 'x', stdout: true })).rejects.toMatchObject({
      code: GrpcCode.UNIMPLEMENTED,
    });
  });

  it('stops cleanly on SIGTERM and removes its socket', async () => {
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(stat(socket)).rejects.toThrow();
    expect(stderr).toBe('');
  });
});
