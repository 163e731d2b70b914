/**
 * The real tkube-cri-docker process against the local Docker engine, driven over gRPC.
 * Images busybox:1.35 and tkube/pause:3.10 are local (deploy/install.sh); nothing is pulled.
 */

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  ContainerConfig,
  type ContainerEventResponse,
  ContainerEventType,
  ContainerState,
  type DeepPartial,
  PodSandboxConfig,
  PodSandboxState,
  type RuntimeApi,
} from '@tkube/api/cri';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin, eventually, type PluginProcess, removePods, startPlugin } from './testing/plugin-process.js';

let plugin: PluginProcess;
let runtime: RuntimeApi;
const uids = new Set<string>();

function pod(name: string): PodSandboxConfig {
  const uid = randomUUID();
  uids.add(uid);
  return PodSandboxConfig.fromPartial({
    metadata: { name, namespace: 'cri-int', uid, attempt: 0 },
    hostname: name,
    logDirectory: join(plugin.dir, 'pods', `cri-int_${name}_${uid}`),
    labels: { 'io.kubernetes.pod.name': name, test: 'cri-docker' },
    annotations: { 'example.com/note': 'kept as is' },
  });
}

function container(name: string, command: string[], extra: DeepPartial<ContainerConfig> = {}): ContainerConfig {
  return ContainerConfig.fromPartial({
    metadata: { name, attempt: 0 },
    image: { image: 'busybox:1.35' },
    command,
    logPath: `${name}/0.log`,
    ...extra,
  });
}

async function runPod(name: string) {
  const config = pod(name);
  const { podSandboxId } = await runtime.runPodSandbox({ config });
  return { config, podSandboxId };
}

async function startContainer(podSandboxId: string, sandboxConfig: PodSandboxConfig, config: ContainerConfig) {
  const { containerId } = await runtime.createContainer({ podSandboxId, config, sandboxConfig });
  await runtime.startContainer({ containerId });
  return containerId;
}

async function waitExited(containerId: string) {
  return eventually(async () => {
    const { status } = await runtime.containerStatus({ containerId });
    return status?.state === ContainerState.CONTAINER_EXITED ? status : undefined;
  });
}

beforeAll(async () => {
  buildPlugin();
  plugin = await startPlugin('lifecycle');
  runtime = plugin.cri.runtimeApi;
});

afterEach(async () => {
  await removePods(uids);
});

afterAll(async () => {
  await removePods(uids);
  await plugin?.stop();
});

describe('tkube-cri-docker on Docker', () => {
  it('answers Version and Status', async () => {
    const version = await runtime.version({ version: 'v1' });
    expect(version).toMatchObject({ runtimeName: 'docker', runtimeApiVersion: 'v1' });
    expect(version.runtimeVersion).not.toBe('');
    const { status } = await runtime.status({});
    expect(status?.conditions.map((c) => [c.type, c.status])).toEqual([
      ['RuntimeReady', true],
      ['NetworkReady', true],
    ]);
  });

  it('runs a sandbox and a container that shares its network namespace', async () => {
    const { config, podSandboxId } = await runPod('netns');
    const sandbox = await runtime.podSandboxStatus({ podSandboxId, verbose: true });
    expect(sandbox.status?.state).toBe(PodSandboxState.SANDBOX_READY);
    expect(sandbox.status?.metadata).toEqual(config.metadata);
    expect(sandbox.status?.annotations).toEqual({ 'example.com/note': 'kept as is' });
    expect(sandbox.status?.labels.test).toBe('cri-docker');
    expect(sandbox.status?.createdAt).toBeGreaterThan(0n);
    const netnsPath = sandbox.info.netnsPath;
    expect(netnsPath).toMatch(/^\/proc\/\d+\/ns\/net$/);

    const containerId = await startContainer(podSandboxId, config, container('app', ['sleep', '3600']));
    const inside = await runtime.execSync({ containerId, cmd: ['readlink', '/proc/self/ns/net'], timeout: 10n });
    expect(inside.stdout.toString().trim()).toBe(readlinkSync(netnsPath));
    const hostname = await runtime.execSync({ containerId, cmd: ['hostname'], timeout: 10n });
    expect(hostname.stdout.toString().trim()).toBe('netns');

    const listed = await runtime.listContainers({ filter: { podSandboxId } });
    expect(listed.containers.map((c) => [c.id, c.state, c.metadata?.name])).toEqual([
      [containerId, ContainerState.CONTAINER_RUNNING, 'app'],
    ]);
  });

  it("shows every container of a sandbox the pod's DNS config in /etc/resolv.conf", async () => {
    const config = PodSandboxConfig.fromPartial({
      ...pod('dns'),
      dnsConfig: {
        servers: ['10.96.0.10', '10.96.0.11'],
        searches: ['cri-int.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
        options: ['ndots:5'],
      },
    });
    const { podSandboxId } = await runtime.runPodSandbox({ config });
    const expected = [
      'nameserver 10.96.0.10',
      'nameserver 10.96.0.11',
      'search cri-int.svc.cluster.local svc.cluster.local cluster.local',
      'options ndots:5',
      '',
    ].join('\n');
    for (const name of ['app', 'side']) {
      const containerId = await startContainer(podSandboxId, config, container(name, ['sleep', '3600']));
      const read = await runtime.execSync({ containerId, cmd: ['cat', '/etc/resolv.conf'], timeout: 10n });
      expect(read.exitCode).toBe(0);
      expect(read.stdout.toString()).toBe(expected);
    }
  });

  it('passes env, command, args and working dir, and limits memory in the cgroup', async () => {
    const { config, podSandboxId } = await runPod('config');
    const containerId = await startContainer(
      podSandboxId,
      config,
      container('app', ['sh', '-c'], {
        args: ['echo "$GREETING from $(pwd)"; sleep 3600'],
        workingDir: '/tmp',
        envs: [{ key: 'GREETING', value: 'hello world' }],
        linux: { resources: { memoryLimitInBytes: 64n * 1024n * 1024n } },
      }),
    );
    const logFile = join(config.logDirectory, 'app/0.log');
    const line = await eventually(async () => {
      try {
        return readFileSync(logFile, 'utf8')
          .split('\n')
          .find((l) => l.includes('hello world'));
      } catch {
        return undefined;
      }
    });
    expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z stdout F hello world from \/tmp$/);
    const limit = await runtime.execSync({
      containerId,
      cmd: ['sh', '-c', 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max'],
      timeout: 10n,
    });
    expect(limit.stdout.toString().trim()).toBe(String(64 * 1024 * 1024));
    const { status } = await runtime.containerStatus({ containerId });
    expect(status?.logPath).toBe(logFile);
    expect(status?.resources?.linux?.memoryLimitInBytes).toBe(64n * 1024n * 1024n);
  });

  it('reports exit code, reason and times, and writes both streams in the CRI log format', async () => {
    const { config, podSandboxId } = await runPod('exit');
    const failing = await startContainer(
      podSandboxId,
      config,
      container('fail', ['sh', '-c', 'echo out; echo err >&2; printf tail; exit 3']),
    );
    const completing = await startContainer(podSandboxId, config, container('ok', ['true']));
    const failed = await waitExited(failing);
    expect(failed).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(failed.finishedAt).toBeGreaterThanOrEqual(failed.startedAt);
    expect(failed.startedAt).toBeGreaterThan(0n);
    expect(await waitExited(completing)).toMatchObject({ exitCode: 0, reason: 'Completed' });

    const logFile = join(config.logDirectory, 'fail/0.log');
    const lines = await eventually(async () => {
      const text = (() => {
        try {
          return readFileSync(logFile, 'utf8');
        } catch {
          return '';
        }
      })();
      const found = text.split('\n').filter(Boolean);
      return found.length >= 3 ? found : undefined;
    });
    const tail = lines.map((l) => l.replace(/^\S+ /, ''));
    expect(tail).toEqual(expect.arrayContaining(['stdout F out', 'stderr F err']));
    expect(tail.some((l) => /^stdout [PF] tail$/.test(l))).toBe(true);
  });

  it('runs ExecSync with output, exit code and a timeout', async () => {
    const { config, podSandboxId } = await runPod('exec-sync');
    const containerId = await startContainer(podSandboxId, config, container('app', ['sleep', '3600']));
    const result = await runtime.execSync({
      containerId,
      cmd: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 4'],
      timeout: 10n,
    });
    expect(result.stdout.toString()).toBe('to-out\n');
    expect(result.stderr.toString()).toBe('to-err\n');
    expect(result.exitCode).toBe(4);
    await expect(runtime.execSync({ containerId, cmd: ['sleep', '30'], timeout: 1n })).rejects.toMatchObject({
      code: GrpcStatus.DEADLINE_EXCEEDED,
    });
  });

  it('stops a container that ignores SIGTERM by killing it after the timeout', async () => {
    const { config, podSandboxId } = await runPod('stubborn');
    const containerId = await startContainer(
      podSandboxId,
      config,
      container('app', ['sh', '-c', "trap '' TERM; while true; do sleep 1; done"]),
    );
    const started = Date.now();
    await runtime.stopContainer({ containerId, timeout: 2n });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_900);
    expect(elapsed).toBeLessThan(10_000);
    const { status } = await runtime.containerStatus({ containerId });
    expect(status).toMatchObject({ state: ContainerState.CONTAINER_EXITED, exitCode: 137 });
    // Stopping again is fine.
    await runtime.stopContainer({ containerId, timeout: 2n });
  });

  it('removes idempotently: containers, sandboxes and ids it never knew', async () => {
    const { config, podSandboxId } = await runPod('removal');
    const containerId = await startContainer(podSandboxId, config, container('app', ['sleep', '3600']));
    await runtime.removeContainer({ containerId });
    await runtime.removeContainer({ containerId });
    await expect(runtime.containerStatus({ containerId })).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    const second = await startContainer(podSandboxId, config, container('other', ['sleep', '3600']));
    await runtime.stopPodSandbox({ podSandboxId });
    const stopped = await runtime.podSandboxStatus({ podSandboxId });
    expect(stopped.status?.state).toBe(PodSandboxState.SANDBOX_NOTREADY);
    expect((await runtime.containerStatus({ containerId: second })).status?.state).toBe(
      ContainerState.CONTAINER_EXITED,
    );
    await runtime.removePodSandbox({ podSandboxId });
    await runtime.removePodSandbox({ podSandboxId });
    await runtime.stopPodSandbox({ podSandboxId: 'no-such-sandbox' });
    await expect(runtime.podSandboxStatus({ podSandboxId })).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    await expect(runtime.containerStatus({ containerId: second })).rejects.toMatchObject({
      code: GrpcStatus.NOT_FOUND,
    });
  });

  it('lets a second plugin process adopt what the first created', async () => {
    const { config, podSandboxId } = await runPod('adopt');
    const containerId = await startContainer(podSandboxId, config, container('app', ['sleep', '3600']));
    const other = await startPlugin('adopter');
    try {
      const sandboxes = await other.cri.runtimeApi.listPodSandbox({
        filter: { labelSelector: { 'io.kubernetes.pod.uid': config.metadata?.uid ?? '' } },
      });
      expect(sandboxes.items.map((s) => [s.id, s.state, s.metadata?.name])).toEqual([
        [podSandboxId, PodSandboxState.SANDBOX_READY, 'adopt'],
      ]);
      expect(sandboxes.items[0].annotations).toEqual({ 'example.com/note': 'kept as is' });
      const containers = await other.cri.runtimeApi.listContainers({ filter: { podSandboxId } });
      expect(containers.containers.map((c) => c.id)).toEqual([containerId]);
      const { status } = await other.cri.runtimeApi.containerStatus({ containerId });
      expect(status?.state).toBe(ContainerState.CONTAINER_RUNNING);
    } finally {
      await other.stop();
    }
  });

  it('answers the image service from the local store', async () => {
    const images = plugin.cri.imageApi;
    const pulled = await images.pullImage({ image: { image: 'busybox:1.35' } });
    const { image } = await images.imageStatus({ image: { image: 'busybox:1.35' } });
    expect(image?.id).toBe(pulled.imageRef);
    expect(image?.repoTags).toContain('busybox:1.35');
    expect(image?.size).toBeGreaterThan(0n);
    const missing = await images.imageStatus({ image: { image: 'tkube-test/absent:0' } });
    expect(missing.image).toBeUndefined();
    const listed = await images.listImages({});
    expect(listed.images.find((i) => i.repoTags.includes('tkube/pause:3.10'))?.pinned).toBe(true);
    const fs = await images.imageFsInfo({});
    expect(fs.imageFilesystems[0].usedBytes?.value).toBeGreaterThan(0n);
  });

  it('streams container events: a container killed from the host is reported STOPPED with its statuses', async () => {
    const abort = new AbortController();
    const seen: ContainerEventResponse[] = [];
    const reading = (async () => {
      try {
        for await (const event of runtime.getContainerEvents({}, { signal: abort.signal })) seen.push(event);
      } catch {
        // Cancelled at the end of the test.
      }
    })();
    try {
      // The subscription is live once a sandbox made after it shows up.
      const { config, podSandboxId } = await runPod('events');
      await eventually(async () => (seen.some((e) => e.containerId === podSandboxId) ? true : undefined));
      const containerId = await startContainer(podSandboxId, config, container('app', ['sleep', '3600']));
      await eventually(async () =>
        seen.some(
          (e) => e.containerId === containerId && e.containerEventType === ContainerEventType.CONTAINER_STARTED_EVENT,
        )
          ? true
          : undefined,
      );
      execFileSync('docker', ['kill', '--signal', 'KILL', containerId]);
      const stopped = await eventually(async () =>
        seen.find(
          (e) => e.containerId === containerId && e.containerEventType === ContainerEventType.CONTAINER_STOPPED_EVENT,
        ),
      );
      expect(stopped.podSandboxStatus).toMatchObject({ id: podSandboxId, metadata: config.metadata });
      expect(stopped.containersStatuses.find((s) => s.id === containerId)).toMatchObject({
        state: ContainerState.CONTAINER_EXITED,
        exitCode: 137,
      });
      expect(seen.filter((e) => e.containerId === containerId).map((e) => e.containerEventType)).toEqual([
        ContainerEventType.CONTAINER_CREATED_EVENT,
        ContainerEventType.CONTAINER_STARTED_EVENT,
        ContainerEventType.CONTAINER_STOPPED_EVENT,
      ]);
    } finally {
      abort.abort();
      await reading;
    }
  });

  it('reports container stats', async () => {
    const { config, podSandboxId } = await runPod('stats');
    const containerId = await startContainer(podSandboxId, config, container('app', ['sleep', '3600']));
    const { stats } = await runtime.containerStats({ containerId });
    expect(stats?.attributes?.id).toBe(containerId);
    expect(stats?.memory?.workingSetBytes?.value).toBeGreaterThan(0n);
    const listed = await runtime.listContainerStats({ filter: { podSandboxId } });
    expect(listed.stats.map((s) => s.attributes?.id)).toEqual([containerId]);
    await runtime.updateContainerResources({ containerId, linux: { memoryLimitInBytes: 32n * 1024n * 1024n } });
    const { status } = await runtime.containerStatus({ containerId });
    expect(status?.resources?.linux?.memoryLimitInBytes).toBe(32n * 1024n * 1024n);
  });
});
