/**
 * pods/log, pods/exec and pods/attach driven by the real kubectl 1.35 through a REST server
 * over real registries, proxied to a fake kubelet on 127.0.0.1 (self-signed certificate,
 * bearer token): logs with --tail, -c and -f, exec over WebSocket (v5.channel.k8s.io) with
 * stdout, stderr, exit codes and piped stdin, and kube's refusals.
 */
import { readFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import type { Node, Pod } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawRequest, rawRequest } from '../testing/https-client.js';
import { eventually, kubectl, kubectlStream } from '../testing/kubectl.js';
import { startTestServer, TEST_TOKEN, type TestServer } from '../testing/test-server.js';
import { FakeKubelet, WAITING_CONTAINER } from './testing/fake-kubelet.js';

const KUBELET_TOKEN = 'kubelet-token-42';

function pod(name: string, containers: string[], nodeName?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: containers.map((c) => ({ name: c, image: 'busybox:1.35', command: ['sleep', '3600'] })),
      ...(nodeName ? { nodeName } : {}),
    },
  };
}

describe('pods/log, exec and attach through the kubelet, with kubectl 1.35', () => {
  let t: TestServer;
  let kubelet: FakeKubelet;
  let ca: string;
  const run = (args: string[], input?: string) => kubectl(t.kubeconfig, args, input === undefined ? {} : { input });
  const raw = (req: RawRequest) => rawRequest(t.server.url, ca, TEST_TOKEN, req);
  const lastKubeletRequest = () => kubelet.requests[kubelet.requests.length - 1];

  beforeAll(async () => {
    t = await startTestServer({ kubeletToken: KUBELET_TOKEN });
    ca = readFileSync(t.caFile, 'utf8');
    kubelet = await FakeKubelet.start(t.dir);
    const node: Node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1' },
      status: {
        addresses: [
          { type: 'InternalIP', address: '127.0.0.1' },
          { type: 'Hostname', address: 'node-1' },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: kubelet.port } },
      },
    };
    await t.registries.get('', 'v1', 'nodes')?.create(undefined, node, {});
    const pods = t.registries.get('', 'v1', 'pods');
    await pods?.create('default', pod('web', ['app'], 'node-1'), {});
    await pods?.create('default', pod('duo', ['app', 'sidecar', WAITING_CONTAINER], 'node-1'), {});
    await pods?.create('default', pod('unbound', ['app']), {});
    // A node whose kubelet is gone: its port was free a moment ago and nothing listens there.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const gonePort = (gone.address() as AddressInfo).port;
    await new Promise((resolve) => gone.close(resolve));
    await t.registries.get('', 'v1', 'nodes')?.create(
      undefined,
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-gone' },
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: gonePort } },
        },
      },
      {},
    );
    await pods?.create('default', pod('orphan', ['app'], 'node-gone'), {});
  });
  afterAll(async () => {
    await kubelet?.close();
    await t?.close();
  });

  it('prints the logs, authenticating to the kubelet with its token', async () => {
    const result = await run(['logs', 'web']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe('app line 1\napp line 2\napp line 3\napp line 4\n');
    expect(lastKubeletRequest()).toMatchObject({
      path: '/containerLogs/default/web/app',
      authorization: `Bearer ${KUBELET_TOKEN}`,
    });
  });

  it('passes --tail and -c on to the kubelet', async () => {
    expect((await run(['logs', 'web', '--tail=2'])).stdout).toBe('app line 3\napp line 4\n');
    expect(lastKubeletRequest()?.query.get('tailLines')).toBe('2');
    expect((await run(['logs', 'duo', '-c', 'sidecar'])).stdout).toBe('sidecar line 1\n');
    expect(lastKubeletRequest()?.path).toBe('/containerLogs/default/duo/sidecar');
  });

  it('follows with -f as lines arrive, and drops the kubelet stream when kubectl goes', async () => {
    const follow = kubectlStream(t.kubeconfig, ['logs', '-f', 'web']);
    try {
      await eventually(() => follow.output().includes('tick 3\n'), 10_000);
      expect(follow.output().startsWith('app line 1\napp line 2\napp line 3\napp line 4\ntick 1\n')).toBe(true);
      expect(lastKubeletRequest()?.query.get('follow')).toBe('true');
    } finally {
      await follow.stop();
    }
    await eventually(() => kubelet.followsEnded === 1, 5_000);
  });

  it("shows the kubelet's refusal and kube's own container errors", async () => {
    const waiting = await run(['logs', 'duo', '-c', WAITING_CONTAINER]);
    expect(waiting.code).toBe(1);
    expect(waiting.stderr).toContain(
      `Error from server (BadRequest): container "${WAITING_CONTAINER}" in pod "duo" is waiting to start: ContainerCreating`,
    );
    // kubectl logs checks -c itself; the server gives the same answer to other clients.
    const wrong = await run(['logs', 'web', '-c', 'nope']);
    expect(wrong.stderr).toContain('container nope is not valid for pod web');
    const wrongRaw = await raw({ path: '/api/v1/namespaces/default/pods/web/log?container=nope' });
    expect(wrongRaw.status).toBe(400);
    expect(wrongRaw.json()).toMatchObject({ reason: 'BadRequest', message: 'container nope is not valid for pod web' });
    const choose = await raw({ path: '/api/v1/namespaces/default/pods/duo/log' });
    expect(choose.status).toBe(400);
    expect(choose.json().message).toBe(
      `a container name must be specified for pod duo, choose one of: [app sidecar ${WAITING_CONTAINER}]`,
    );
    const missing = await raw({ path: '/api/v1/namespaces/default/pods/ghost/log' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ reason: 'NotFound', message: 'pods "ghost" not found' });
  });

  it('answers an unbound pod with empty logs, as kube-apiserver', async () => {
    const result = await run(['logs', 'unbound']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    const answer = await raw({ path: '/api/v1/namespaces/default/pods/unbound/log' });
    expect(answer.status).toBe(204);
  });

  it('validates the log options', async () => {
    const bad = await raw({ path: '/api/v1/namespaces/default/pods/web/log?tailLines=x' });
    expect(bad.status).toBe(400);
    const negative = await raw({ path: '/api/v1/namespaces/default/pods/web/log?tailLines=-1' });
    expect(negative.status).toBe(422);
    expect(negative.json().message).toBe(
      'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0',
    );
  });

  it('runs a command with exec: stdout, stderr and the exit code come back', async () => {
    const result = await run(['exec', 'web', '--', 'fail', 'now']);
    expect(result.stdout).toBe('out: fail now\n');
    expect(result.stderr).toContain('err: something went wrong\n');
    expect(result.code).toBe(3);
    expect(lastKubeletRequest()).toMatchObject({
      path: '/exec/default/web/app',
      authorization: `Bearer ${KUBELET_TOKEN}`,
      protocol: 'v5.channel.k8s.io',
    });
    expect(lastKubeletRequest()?.query.getAll('command')).toEqual(['fail', 'now']);
    expect(lastKubeletRequest()?.query.get('stdout')).toBe('1');
  });

  it('pipes stdin with exec -i until it closes', async () => {
    const result = await run(['exec', '-i', 'web', '--', 'cat'], 'hello through the apiserver\n');
    expect(result).toMatchObject({ code: 0, stdout: 'hello through the apiserver\n' });
    expect(lastKubeletRequest()?.query.get('stdin')).toBe('1');
  });

  it('carries a large stdin both ways, pausing the faster side', async () => {
    const line = `${'0123456789'.repeat(10)}\n`;
    const input = line.repeat(40_000); // 4 MB, above the bridge's high-water mark
    const result = await kubectl(t.kubeconfig, ['exec', '-i', 'web', '--', 'cat'], { input, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(result.stdout.length).toBe(input.length);
    expect(result.stdout === input).toBe(true);
  });

  it('attaches to a container', async () => {
    const result = await run(['attach', 'duo', '-c', 'sidecar']);
    expect(result).toMatchObject({ code: 0, stdout: 'attached to duo/sidecar\n' });
    expect(lastKubeletRequest()).toMatchObject({ path: '/attach/default/duo/sidecar', protocol: 'v5.channel.k8s.io' });
  });

  it('refuses exec as kube-apiserver: no host, a wrong container, a plain request, SPDY', async () => {
    const unbound = await run(['exec', 'unbound', '--', 'ls']);
    expect(unbound.code).toBe(1);
    expect(unbound.stderr).toContain('Error from server (BadRequest): pod unbound does not have a host assigned');
    const wrong = await run(['exec', 'web', '-c', 'nope', '--', 'ls']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Error from server (BadRequest): container nope is not valid for pod web');
    const plain = await raw({ path: '/api/v1/namespaces/default/pods/web/exec?command=ls' });
    expect(plain.status).toBe(400);
    expect(plain.json().message).toBe('Upgrade request required');
    const spdy = await raw({
      method: 'POST',
      path: '/api/v1/namespaces/default/pods/web/exec?command=ls',
      headers: { connection: 'Upgrade', upgrade: 'SPDY/3.1' },
    });
    expect(spdy.status).toBe(400);
    expect(spdy.json().message).toMatch(/WebSocket .* not SPDY/);
    const stranger = await rawRequest(t.server.url, ca, 'wrong-token', {
      path: '/api/v1/namespaces/default/pods/web/exec?command=ls',
      headers: { connection: 'Upgrade', upgrade: 'websocket' },
    });
    expect(stranger.status).toBe(401);
  });

  it('says so when the kubelet cannot be reached, for logs and for exec', async () => {
    const logs = await run(['logs', 'orphan']);
    expect(logs.code).toBe(1);
    expect(logs.stderr).toMatch(/Error from server \(InternalError\): .*error dialing backend: .*ECONNREFUSED/);
    // kubectl retries over SPDY after the failed WebSocket attempt; the retry gets the first reason.
    const exec = await run(['exec', 'orphan', '--', 'ls']);
    expect(exec.code).toBe(1);
    expect(exec.stderr).toMatch(/error dialing backend: .*ECONNREFUSED/);
  });

  it('lists log, exec and attach in discovery', async () => {
    const result = await run(['api-resources', '--api-group=', '-o', 'name']);
    expect(result.code).toBe(0);
    const core = await raw({ path: '/api/v1' });
    const names = (core.json().resources as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['pods/log', 'pods/exec', 'pods/attach']));
  });
});
