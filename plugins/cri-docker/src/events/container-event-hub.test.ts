import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContainerConfig,
  type ContainerEventResponse,
  ContainerEventType,
  ContainerState,
  PodSandboxConfig,
  PodSandboxState,
} from '@tkube/api/cri';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainerService } from '../containers.js';
import type { DockerEngine } from '../docker/engine.js';
import { scopedEngine } from '../docker/scoped-engine.js';
import { LogManager } from '../logs/log-manager.js';
import { SandboxDnsFiles } from '../sandbox-dns-files.js';
import { SandboxService } from '../sandboxes.js';
import { FakeEngine } from '../testing/fake-engine.js';
import { ContainerEventHub } from './container-event-hub.js';

const logger = pino({ level: 'silent' });
const { CONTAINER_CREATED_EVENT, CONTAINER_STARTED_EVENT, CONTAINER_STOPPED_EVENT, CONTAINER_DELETED_EVENT } =
  ContainerEventType;

const podConfig = (name: string) =>
  PodSandboxConfig.fromPartial({ metadata: { name, namespace: 'default', uid: `uid-${name}`, attempt: 0 } });
const appConfig = (name: string) =>
  ContainerConfig.fromPartial({ metadata: { name }, image: { image: 'busybox:1.35' } });

/** The plugin's parts over one (possibly scoped) engine. */
function node(engine: DockerEngine) {
  // No sandbox here has a DNS config: the directory is never written.
  const dnsFiles = new SandboxDnsFiles(join(tmpdir(), 'cri-docker-events-test-unused'));
  const logs = new LogManager(engine, logger);
  const sandboxes = new SandboxService({
    engine,
    logs,
    pauseImage: 'tkube/pause:3.10',
    logger,
    podIps: async () => [],
    dnsFiles,
  });
  const containers = new ContainerService({ engine, logs, logger, dnsFiles });
  const hub = new ContainerEventHub({ engine, sandboxes, containers, logger, reconnectInitialMs: 1 });
  const seen: ContainerEventResponse[] = [];
  const unsubscribe = hub.subscribe((event) => seen.push(event));
  return { sandboxes, containers, hub, seen, unsubscribe, logs };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('ContainerEventHub', () => {
  let engine: FakeEngine;
  const hubs: ContainerEventHub[] = [];

  beforeEach(() => {
    engine = new FakeEngine();
    engine.addImage('busybox:1.35');
    engine.addImage('tkube/pause:3.10');
  });

  afterEach(async () => {
    await Promise.all(hubs.splice(0).map((hub) => hub.stop()));
  });

  it('turns Docker create/start/die/destroy into CRI events with the sandbox and container statuses', async () => {
    const { sandboxes, containers, hub, seen } = node(engine);
    hubs.push(hub);
    await until(() => engine.eventStreams === 1, 'the hub to follow docker');

    const sandboxId = await sandboxes.run(podConfig('web'));
    const containerId = await containers.create(sandboxId, appConfig('app'), podConfig('web'));
    await containers.start(containerId);
    engine.finish(containerId, 137);
    // Statuses are read when an event arrives: the container is still there to be read.
    await until(() => seen.length === 5, 'five events');
    await containers.remove(containerId);
    await until(() => seen.length === 6, 'six events');

    expect(seen.map((e) => [e.containerId, e.containerEventType])).toEqual([
      [sandboxId, CONTAINER_CREATED_EVENT],
      [sandboxId, CONTAINER_STARTED_EVENT],
      [containerId, CONTAINER_CREATED_EVENT],
      [containerId, CONTAINER_STARTED_EVENT],
      [containerId, CONTAINER_STOPPED_EVENT],
      [containerId, CONTAINER_DELETED_EVENT],
    ]);
    const stopped = seen[4] as ContainerEventResponse;
    // The pod the container belongs to, as kube's evented PLEG reads it.
    expect(stopped.podSandboxStatus?.id).toBe(sandboxId);
    expect(stopped.podSandboxStatus?.metadata?.uid).toBe('uid-web');
    expect(stopped.podSandboxStatus?.state).toBe(PodSandboxState.SANDBOX_READY);
    expect(stopped.containersStatuses.map((s) => [s.id, s.state, s.exitCode])).toEqual([
      [containerId, ContainerState.CONTAINER_EXITED, 137],
    ]);
    expect(stopped.createdAt).toBeGreaterThan(0n);
    // Once deleted, the container is no longer among the statuses.
    expect(seen[5]?.containersStatuses).toEqual([]);
  });

  it('keeps the pod identity of a sandbox that is gone', async () => {
    const { sandboxes, hub, seen } = node(engine);
    hubs.push(hub);
    await until(() => engine.eventStreams === 1, 'the hub to follow docker');
    const sandboxId = await sandboxes.run(podConfig('gone'));
    await sandboxes.remove(sandboxId);
    await until(() => seen.some((e) => e.containerEventType === CONTAINER_DELETED_EVENT), 'the deletion');
    const deleted = seen.find((e) => e.containerEventType === CONTAINER_DELETED_EVENT);
    expect(deleted?.podSandboxStatus).toMatchObject({
      id: sandboxId,
      metadata: { name: 'gone', namespace: 'default', uid: 'uid-gone' },
      state: PodSandboxState.SANDBOX_NOTREADY,
    });
  });

  it('sends a node only the events of its own instance', async () => {
    const one = node(scopedEngine(engine, 'node-1'));
    const two = node(scopedEngine(engine, 'node-2'));
    hubs.push(one.hub, two.hub);
    await until(() => engine.eventStreams === 2, 'both hubs to follow docker');
    const mine = await one.sandboxes.run(podConfig('mine'));
    const theirs = await two.sandboxes.run(podConfig('theirs'));
    await until(() => one.seen.length === 2 && two.seen.length === 2, 'two events each');
    expect(new Set(one.seen.map((e) => e.containerId))).toEqual(new Set([mine]));
    expect(new Set(two.seen.map((e) => e.containerId))).toEqual(new Set([theirs]));
  });

  it('reconnects after Docker breaks the stream and replays what happened meanwhile', async () => {
    const { sandboxes, containers, hub, seen } = node(engine);
    hubs.push(hub);
    await until(() => engine.eventStreams === 1, 'the hub to follow docker');
    const sandboxId = await sandboxes.run(podConfig('web'));
    await until(() => seen.length === 2, 'the sandbox events');

    engine.breakEventStreams();
    expect(engine.eventStreams).toBe(0);
    // Made while nobody follows Docker.
    const containerId = await containers.create(sandboxId, appConfig('app'), podConfig('web'));
    await until(() => engine.eventStreams === 1, 'the hub to reconnect');
    await until(
      () => seen.some((e) => e.containerId === containerId && e.containerEventType === CONTAINER_CREATED_EVENT),
      'the replayed creation',
    );
    await containers.start(containerId);
    await until(() => seen.at(-1)?.containerEventType === CONTAINER_STARTED_EVENT, 'the live start');
    expect(seen.at(-1)?.containerId).toBe(containerId);
  });

  it('stops: subscribers are told, Docker is no longer followed', async () => {
    const { hub } = node(engine);
    let told = 0;
    hub.subscribe(
      () => undefined,
      () => told++,
    );
    await until(() => engine.eventStreams === 1, 'the hub to follow docker');
    await hub.stop();
    expect(told).toBe(1);
    expect(engine.eventStreams).toBe(0);
    expect(() => hub.subscribe(() => undefined)).toThrow(/stopped/);
  });
});
