/**
 * Exec and Attach through the plugin's streaming server, as the kubelet proxies kubectl's
 * WebSocket to it: the channel protocol (v5.channel.k8s.io, v4), stdin, tty, exit status.
 */

import { randomUUID } from 'node:crypto';
import { ContainerConfig, PodSandboxConfig, type RuntimeApi } from '@tkube/api/cri';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin, type PluginProcess, removePods, startPlugin } from './testing/plugin-process.js';

let plugin: PluginProcess;
let runtime: RuntimeApi;
let containerId: string;
const uid = randomUUID();

interface Session {
  socket: WebSocket;
  protocol: string;
  output: Record<number, string>;
  status: Promise<Record<string, unknown>>;
  send(channel: number, data: string | number[]): void;
}

/** Opens a session and collects each channel's text; resolves `status` with the error channel's JSON. */
async function open(url: string, protocols: string[]): Promise<Session> {
  const socket = new WebSocket(url, protocols);
  socket.binaryType = 'arraybuffer';
  const output: Record<number, string> = {};
  let resolveStatus: (status: Record<string, unknown>) => void = () => undefined;
  const status = new Promise<Record<string, unknown>>((resolve, reject) => {
    resolveStatus = resolve;
    socket.addEventListener('close', () => reject(new Error(`closed before a status; got ${JSON.stringify(output)}`)));
  });
  // A session refused at the handshake never awaits its status.
  status.catch(() => undefined);
  socket.addEventListener('message', (event) => {
    const bytes = Buffer.from(event.data as ArrayBuffer);
    const channel = bytes[0];
    output[channel] = (output[channel] ?? '') + bytes.subarray(1).toString();
    if (channel === 3 && bytes.length > 1) resolveStatus(JSON.parse(bytes.subarray(1).toString()));
  });
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('websocket failed')), { once: true });
  });
  return {
    socket,
    protocol: socket.protocol,
    output,
    status,
    send: (channel, data) => {
      const body = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
      socket.send(Buffer.concat([Buffer.from([channel]), body]));
    },
  };
}

beforeAll(async () => {
  buildPlugin();
  plugin = await startPlugin('streaming');
  runtime = plugin.cri.runtimeApi;
  const sandboxConfig = PodSandboxConfig.fromPartial({
    metadata: { name: 'stream', namespace: 'cri-int', uid, attempt: 0 },
    hostname: 'stream',
  });
  const { podSandboxId } = await runtime.runPodSandbox({ config: sandboxConfig });
  ({ containerId } = await runtime.createContainer({
    podSandboxId,
    sandboxConfig,
    config: ContainerConfig.fromPartial({
      metadata: { name: 'app' },
      image: { image: 'busybox:1.35' },
      command: ['sleep', '3600'],
    }),
  }));
  await runtime.startContainer({ containerId });
});

afterAll(async () => {
  await removePods([uid]);
  await plugin?.stop();
});

describe('streaming exec', () => {
  it('pipes stdin to the command, closes stdin on a v5 close frame, and ends with Success', async () => {
    const { url } = await runtime.exec({ containerId, cmd: ['cat'], stdin: true, stdout: true, stderr: true });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/exec\/[\w-]+$/);
    const session = await open(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(session.protocol).toBe('v5.channel.k8s.io');
    session.send(0, 'hello through stdin\n');
    session.send(255, [0]);
    expect(await session.status).toEqual({ metadata: {}, status: 'Success' });
    expect(session.output[1]).toBe('hello through stdin\n');
  });

  it('separates stdout and stderr and reports a nonzero exit code as Kubernetes does', async () => {
    const { url } = await runtime.exec({
      containerId,
      cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'],
      stdout: true,
      stderr: true,
    });
    const session = await open(url.replace(/^http/, 'ws'), ['v4.channel.k8s.io']);
    expect(session.protocol).toBe('v4.channel.k8s.io');
    const status = await session.status;
    expect(status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '7' }] },
    });
    expect(session.output[1]).toBe('out\n');
    expect(session.output[2]).toBe('err\n');
  });

  it('runs an interactive shell on a tty and follows resizes', async () => {
    const { url } = await runtime.exec({ containerId, cmd: ['sh'], tty: true, stdin: true, stdout: true });
    const session = await open(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io']);
    session.send(4, JSON.stringify({ Width: 100, Height: 40 }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.send(0, 'stty size; echo $((6 * 7))\n');
    session.send(0, 'exit 0\n');
    expect(await session.status).toEqual({ metadata: {}, status: 'Success' });
    expect(session.output[1]).toContain('40 100');
    expect(session.output[1]).toContain('42');
  });

  it('refuses a used or unknown token', async () => {
    const { url } = await runtime.exec({ containerId, cmd: ['true'], stdout: true });
    const first = await open(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io']);
    await first.status;
    await expect(open(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io'])).rejects.toThrow();
    const response = await fetch(url.replace(/\/exec\/.*$/, '/exec/unknown'));
    expect(response.status).toBe(400);
  });

  it('refuses Exec on a missing container and PortForward as unimplemented', async () => {
    await expect(runtime.exec({ containerId: 'missing', cmd: ['sh'], stdout: true })).rejects.toMatchObject({
      code: 5,
    });
    await expect(runtime.portForward({ podSandboxId: 'x', port: [80] })).rejects.toMatchObject({ code: 12 });
  });
});
