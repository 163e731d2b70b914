import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serveGrpc } from './grpc-serve.js';
import { echoClient, echoServer } from './testing/echo-service.js';
import { leftoverSocket } from './testing/leftover-socket.js';

describe('serveGrpc', () => {
  let dir: string;
  const cleanups: (() => unknown)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tkube-grpc-serve-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves on a unix socket over a leftover socket file, and removes the file on stop', async () => {
    const path = join(dir, 'a.sock');
    await leftoverSocket(path);
    const serving = await serveGrpc(echoServer(), `unix://${path}`);
    cleanups.push(() => serving.stop(0));
    expect(serving).toMatchObject({ address: `unix://${path}`, port: undefined });
    const client = echoClient(`unix://${path}`);
    cleanups.push(() => client.close());
    expect(await client.echo('hello')).toBe('hello');

    await serving.stop();
    await expect(stat(path)).rejects.toThrow(/ENOENT/);
  });

  it('makes the folder of its socket', async () => {
    const path = join(dir, 'run', 'tkube', 'a.sock');
    const serving = await serveGrpc(echoServer(), `unix:${path}`);
    cleanups.push(() => serving.stop(0));
    expect((await stat(path)).isSocket()).toBe(true);
  });

  it('refuses to start over a file that is not a socket, leaving it alone', async () => {
    const path = join(dir, 'data');
    await writeFile(path, 'keep me');
    await expect(serveGrpc(echoServer(), `unix:${path}`)).rejects.toThrow(`${path} exists and is not a socket`);
    expect((await stat(path)).isFile()).toBe(true);
  });

  it('serves on TCP with the port it was given, and says which one port 0 picked', async () => {
    const serving = await serveGrpc(echoServer(), '127.0.0.1:0');
    cleanups.push(() => serving.stop(0));
    expect(serving.port).toBeGreaterThan(0);
    expect(serving.address).toBe(`127.0.0.1:${serving.port}`);
    const client = echoClient(serving.address);
    cleanups.push(() => client.close());
    expect(await client.echo('over tcp')).toBe('over tcp');
  });

  it('names the address when it cannot listen', async () => {
    const first = await serveGrpc(echoServer(), '127.0.0.1:0');
    cleanups.push(() => first.stop(0));
    await expect(serveGrpc(echoServer(), first.address)).rejects.toThrow(
      `failed to listen for gRPC on ${first.address}`,
    );
  });

  it('cuts off a call that outlasts the grace period, and stops once however often it is asked', async () => {
    const serving = await serveGrpc(echoServer(), `unix:${join(dir, 'b.sock')}`, { graceMs: 100 });
    const client = echoClient(`unix:${join(dir, 'b.sock')}`);
    cleanups.push(() => client.close());
    expect(await client.echo('warm up')).toBe('warm up');
    const hanging = client.echo('hang').catch((error: unknown) => error);

    const started = Date.now();
    const stopping = serving.stop();
    expect(serving.stop(60_000)).toBe(stopping);
    await stopping;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await hanging).toBeInstanceOf(Error);
  });
});
