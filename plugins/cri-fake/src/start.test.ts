import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status as GrpcCode } from '@grpc/grpc-js';
import {
  type ContainerEventResponse,
  ContainerEventType,
  ContainerState,
  type CriConnection,
  connectCri,
} from '@tkube/api/cri';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningFakeRuntime, startFakeRuntime } from './start.js';

describe('startFakeRuntime (in-process, over gRPC)', () => {
  let dir: string;
  let running: RunningFakeRuntime | undefined;
  let cri: CriConnection | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cri-fake-'));
  });

  afterEach(async () => {
    cri?.close();
    await running?.stop();
    cri = undefined;
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (socket = join(dir, 'cri.sock')) => {
    running = await startFakeRuntime({ listen: `unix://${socket}`, images: ['busybox:1.35'] });
    cri = connectCri(`unix://${socket}`);
    return { runtimeApi: cri.runtimeApi, imageApi: cri.imageApi };
  };

  it('answers Version and Status as a ready runtime named "fake"', async () => {
    const { runtimeApi } = await start();
    expect(await runtimeApi.version({ version: 'v1' })).toMatchObject({ runtimeName: 'fake', runtimeApiVersion: 'v1' });
    const conditions = (await runtimeApi.status()).status?.conditions ?? [];
    expect(conditions.map((c) => [c.type, c.status])).toEqual([
      ['RuntimeReady', true],
      ['NetworkReady', true],
    ]);
  });

  it('sends NotFound, InvalidArgument and Unimplemented as their gRPC codes', async () => {
    const { runtimeApi } = await start();
    await expect(runtimeApi.containerStatus({ containerId: 'nope' })).rejects.toMatchObject({
      code: GrpcCode.NOT_FOUND,
    });
    await expect(runtimeApi.runPodSandbox({})).rejects.toMatchObject({ code: GrpcCode.INVALID_ARGUMENT });
    await expect(runtimeApi.exec({ containerId: 'x', cmd: ['sh'] })).rejects.toMatchObject({
      code: GrpcCode.UNIMPLEMENTED,
      details: expect.stringContaining('Exec is not implemented by tkube-cri-fake'),
    });
  });

  it('takes a pod CIDR from UpdateRuntimeConfig for later sandboxes, and refuses a malformed one', async () => {
    const { runtimeApi } = await start();
    await runtimeApi.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: '10.244.1.0/24' } } });
    const { podSandboxId } = await runtimeApi.runPodSandbox({
      config: { metadata: { name: 'p', namespace: 'ns', uid: 'u' } },
    });
    expect((await runtimeApi.podSandboxStatus({ podSandboxId })).status?.network?.ip).toBe('10.244.1.2');
    await expect(
      runtimeApi.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: '10.244.1.0/33' } } }),
    ).rejects.toMatchObject({ code: GrpcCode.INVALID_ARGUMENT, details: expect.stringContaining('invalid pod CIDR') });
    expect(running?.runtime.podCidr).toBe('10.244.1.0/24');
  });

  it('shares its state with the in-process handle, so a test can crash a container', async () => {
    const { runtimeApi } = await start();
    const { podSandboxId } = await runtimeApi.runPodSandbox({
      config: { metadata: { name: 'p', namespace: 'ns', uid: 'u' } },
    });
    const { containerId } = await runtimeApi.createContainer({
      podSandboxId,
      config: { metadata: { name: 'c' }, image: { image: 'busybox:1.35' } },
    });
    await runtimeApi.startContainer({ containerId });
    running?.runtime.exitContainer(containerId, 1);
    const { status } = await runtimeApi.containerStatus({ containerId });
    expect(status).toMatchObject({ state: ContainerState.CONTAINER_EXITED, exitCode: 1, reason: 'Error' });
  });

  it('answers image calls from its store', async () => {
    const { imageApi } = await start();
    expect((await imageApi.listImages()).images.map((image) => image.repoTags)).toEqual([['busybox:1.35']]);
    expect((await imageApi.imageStatus({ image: { image: 'alpine:3' } })).image).toBeUndefined();
    const { imageRef } = await imageApi.pullImage({ image: { image: 'alpine:3' } });
    expect((await imageApi.imageStatus({ image: { image: 'alpine:3' } })).image?.id).toBe(imageRef);
    await expect(imageApi.pullImage({ image: { image: 'doesnotexist/app:1' } })).rejects.toMatchObject({
      code: GrpcCode.NOT_FOUND,
    });
    await imageApi.removeImage({ image: { image: 'alpine:3' } });
    await imageApi.removeImage({ image: { image: 'alpine:3' } });
    expect((await imageApi.imageFsInfo()).imageFilesystems[0]?.inodesUsed?.value).toBe(1n);
  });

  it('streams container events to GetContainerEvents subscribers until the server stops', async () => {
    const { runtimeApi } = await start();
    const stream = runtimeApi.getContainerEvents({});
    const seen: ContainerEventResponse[] = [];
    const reading = (async () => {
      for await (const event of stream) seen.push(event);
    })();
    // The subscription is in place once an event made after it arrives: poll with sandboxes.
    let sandboxId = '';
    for (let i = 0; i < 100 && seen.length === 0; i++) {
      sandboxId = await runtimeApi
        .runPodSandbox({ config: { metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}` } } })
        .then((r) => r.podSandboxId);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const { containerId } = await runtimeApi.createContainer({
      podSandboxId: sandboxId,
      config: { metadata: { name: 'app' }, image: { image: 'busybox:1.35' } },
    });
    await runtimeApi.startContainer({ containerId });
    running?.runtime.exitContainer(containerId, 137);
    for (let i = 0; i < 100 && seen.at(-1)?.containerEventType !== ContainerEventType.CONTAINER_STOPPED_EVENT; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const mine = seen.filter((e) => e.containerId === containerId);
    expect(mine.map((e) => e.containerEventType)).toEqual([
      ContainerEventType.CONTAINER_CREATED_EVENT,
      ContainerEventType.CONTAINER_STARTED_EVENT,
      ContainerEventType.CONTAINER_STOPPED_EVENT,
    ]);
    expect(mine.at(-1)?.podSandboxStatus?.id).toBe(sandboxId);
    expect(mine.at(-1)?.containersStatuses[0]).toMatchObject({ id: containerId, exitCode: 137 });

    // A stop ends the stream at once instead of waiting out the grace period (a long one
    // here, so that a loaded machine cannot blur the difference).
    const stopping = Date.now();
    await running?.stop(30_000);
    await reading;
    expect(Date.now() - stopping).toBeLessThan(10_000);
  });

  it('replaces a stale socket, refuses to remove a file that is not one, and removes its socket on stop', async () => {
    // A socket file whose server is gone, as a crashed process leaves it: a closing server
    // removes its own file, so the file is moved away from under it first.
    const leftover = join(dir, 'left.sock');
    const previous = createServer();
    await new Promise<void>((resolve) => previous.listen(join(dir, 'previous.sock'), resolve));
    await rename(join(dir, 'previous.sock'), leftover);
    await new Promise((resolve) => previous.close(resolve));
    expect((await stat(leftover)).isSocket()).toBe(true);
    const { runtimeApi } = await start(leftover);
    expect((await runtimeApi.version()).runtimeName).toBe('fake');
    await running?.stop();
    await expect(stat(leftover)).rejects.toThrow();

    const regular = join(dir, 'not-a-socket');
    await writeFile(regular, 'keep me');
    await expect(startFakeRuntime({ listen: regular })).rejects.toThrow(/is not a socket/);
    expect((await stat(regular)).isFile()).toBe(true);
  });
});
