/**
 * The kubelet against the real thing: an in-process apiserver (memory storage), the
 * cri-docker and cni-bridge plugins as processes on the local Docker engine (a test
 * bridge and CIDR, never tkube0), and the built kubelet as a process. A pod with an init
 * container and a readiness probe runs, answers on its IP, shows its logs through the
 * kubelet API, and is gone without a trace after deletion. A second kubelet on the in-process
 * cri-fake starts without --pod-cidr and takes its pod CIDR from the Node, as node IPAM
 * would set it.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { get as httpGet } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Node, Pod, Service } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import { connectCni } from '@tkube/api/cni';
import { ApiClient } from '@tkube/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningFakeRuntime, startFakeRuntime } from '../../../plugins/cri-fake/src/start.js';
import type { RunningApiServer } from '../../apiserver/src/server.js';
import { startMemoryApiServer } from '../../apiserver/src/testing/memory-apiserver.js';
import { freePort, startProcess, type TestProcess, waitFor, waitForSocket } from './testing/processes.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');
const TOKEN = `kubelet-it-${randomBytes(6).toString('hex')}`;
const SUFFIX = randomBytes(3).toString('hex');
const BRIDGE = `tkt${SUFFIX}`;
const POD_CIDR = '10.244.251.0/24';
const NODE = `kubelet-it-${SUFFIX}`;
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const PODS = (namespace = 'default') => ({ group: '', version: 'v1', resource: 'pods', namespace });
const SERVICES = (namespace = 'default') => ({ group: '', version: 'v1', resource: 'services', namespace });

let dir: string;
let apiserver: RunningApiServer | undefined;
let client: ApiClient | undefined;
const processes: TestProcess[] = [];
let kubeletPort = 0;
let podUid = '';
let kubeletArgs: string[] = [];
let tokenFilePath = '';
const extraUids: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubelet-it-'));
  await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/typescript/bin/tsc'),
      '-b',
      'plugins/cri-docker',
      'plugins/cni-bridge',
      'services/kubelet',
    ],
    {
      cwd: ROOT,
      timeout: 120_000,
    },
  );
  ({ apiserver, tokenFile: tokenFilePath } = await startMemoryApiServer(dir, TOKEN, 'kubelet'));
  client = ApiClient.connect({ address: apiserver.grpcAddress, token: TOKEN });

  const criSocket = join(dir, 'cri.sock');
  const cniSocket = join(dir, 'cni.sock');
  processes.push(
    startProcess('cri-docker', [
      join(ROOT, 'plugins/cri-docker/dist/main.js'),
      '--listen',
      `unix://${criSocket}`,
      '--root-dir',
      join(dir, 'cri'),
      // Its own containers only: this kubelet removes the pods it does not know.
      '--instance',
      `kubelet-int@${BRIDGE}`,
    ]),
    startProcess('cni-bridge', [
      join(ROOT, 'plugins/cni-bridge/dist/main.js'),
      '--listen',
      `unix://${cniSocket}`,
      '--bridge',
      BRIDGE,
      '--pod-cidr',
      POD_CIDR,
      '--state-dir',
      join(dir, 'cni'),
    ]),
  );
  await waitForSocket(criSocket);
  await waitForSocket(cniSocket);
  kubeletPort = await freePort();
  kubeletArgs = [
    join(ROOT, 'services/kubelet/dist/main.js'),
    '--node-name',
    NODE,
    '--apiserver-grpc',
    apiserver.grpcAddress,
    '--token-file',
    tokenFilePath,
    '--container-runtime-endpoint',
    `unix://${criSocket}`,
    '--network-plugin-endpoint',
    `unix://${cniSocket}`,
    '--pod-cidr',
    POD_CIDR,
    '--root-dir',
    join(dir, 'kubelet'),
    '--port',
    String(kubeletPort),
    '--cluster-dns',
    '10.96.0.10',
    '--log-level',
    'debug',
  ];
  processes.push(startProcess('kubelet', kubeletArgs));
}, 180_000);

afterAll(async () => {
  for (const p of processes.filter((p) => p.name === 'kubelet')) await p.stop();
  // Whatever the test left (it failed half-way): containers of this node's pods, then the plugins.
  for (const uid of [podUid, ...extraUids].filter((u) => u !== '')) {
    const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=io.kubernetes.pod.uid=${uid}`]).catch(
      () => ({ stdout: '' }),
    );
    const ids = stdout.split('\n').filter((id) => id !== '');
    if (ids.length > 0) await run('docker', ['rm', '-f', ...ids]).catch(() => undefined);
  }
  for (const p of processes) if (p.name !== 'kubelet') await p.stop();
  await run('ip', ['link', 'del', BRIDGE]).catch(() => undefined);
  await removeIptables(BRIDGE);
  client?.close();
  await apiserver?.stop();
  await rm(dir, { recursive: true, force: true });
  if (process.env.KUBELET_IT_LOGS) for (const p of processes) process.stderr.write(`--- ${p.name}\n${p.output()}\n`);
}, 60_000);

/** Removes every iptables rule and chain of the test bridge (the plugin may leave them when it stops). */
async function removeIptables(bridge: string): Promise<void> {
  for (const table of ['nat', 'filter']) {
    const { stdout } = await run('iptables', ['-t', table, '-S']).catch(() => ({ stdout: '' }));
    const lines = stdout.split('\n').filter((line) => line.includes(bridge));
    for (const rule of lines.filter((line) => line.startsWith('-A '))) {
      await run('iptables', ['-t', table, '-D', ...shellWords(rule).slice(1)]).catch(() => undefined);
    }
    for (const chain of lines.filter((line) => line.startsWith('-N ')).map((line) => line.slice(3))) {
      await run('iptables', ['-t', table, '-F', chain]).catch(() => undefined);
      await run('iptables', ['-t', table, '-X', chain]).catch(() => undefined);
    }
  }
}

/** iptables -S quotes arguments with spaces or colons: split as a shell would. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

function kubeletGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpsRequest(
      `https://127.0.0.1:${kubeletPort}${path}`,
      { rejectUnauthorized: false, headers: { Authorization: `Bearer ${TOKEN}` }, timeout: 10_000 },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function fetchFromPod(ip: string, path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const req = httpGet({ host: ip, port: 8080, path, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolvePromise(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

/** Waits until the pod is gone from the API (its kubelet finished the deletion). */
function podGone(name: string, timeoutMs: number): Promise<true> {
  const api = client as ApiClient;
  return dumpOnFailure(
    waitFor(
      `${name} to leave the API`,
      async () => {
        try {
          await api.get<Pod>(PODS(), name);
          return undefined;
        } catch (err) {
          if (isStatusError(err, 'NotFound')) return true;
          throw err;
        }
      },
      timeoutMs,
    ),
  );
}

function dumpOnFailure<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    for (const p of processes) process.stderr.write(`--- ${p.name} (last output)\n${p.output().slice(-6000)}\n`);
    throw err;
  });
}

describe('kubelet on Docker', () => {
  it('registers a Ready node', async () => {
    const api = client as ApiClient;
    const node = await dumpOnFailure(
      waitFor(
        'the node to be Ready',
        async () => {
          const n = await api.get<Node>({ group: '', version: 'v1', resource: 'nodes' }, NODE);
          return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' ? n : undefined;
        },
        60_000,
      ),
    );
    expect(node.spec?.podCIDR).toBe(POD_CIDR);
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(node.status?.daemonEndpoints?.kubeletEndpoint?.Port).toBe(kubeletPort);
  }, 90_000);

  it('runs a pod with an init container and a readiness probe, serves it on its IP, and shows its logs', async () => {
    const api = client as ApiClient;
    const created = await api.create<Pod>(PODS(), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        nodeName: NODE,
        terminationGracePeriodSeconds: 5,
        volumes: [{ name: 'www', emptyDir: {} }],
        initContainers: [
          {
            name: 'setup',
            image: 'busybox:1.35',
            command: ['sh', '-c', 'echo "hello from $(POD_NAME)" > /www/index.html; echo setup done'],
            env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
            volumeMounts: [{ name: 'www', mountPath: '/www' }],
          },
        ],
        containers: [
          {
            name: 'web',
            image: 'busybox:1.35',
            command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
            ports: [{ containerPort: 8080 }],
            volumeMounts: [{ name: 'www', mountPath: '/www' }],
            readinessProbe: { httpGet: { path: '/index.html', port: 8080 }, periodSeconds: 1 },
          },
        ],
      },
    });
    podUid = created.metadata?.uid ?? '';

    const running = await dumpOnFailure(
      waitFor(
        'the pod to be Running and Ready',
        async () => {
          const p = await api.get<Pod>(PODS(), 'web');
          const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
          return p.status?.phase === 'Running' && ready ? p : undefined;
        },
        60_000,
      ),
    );
    const ip = running.status?.podIP ?? '';
    expect(ip).toMatch(/^10\.244\.251\.\d+$/);
    expect(running.status?.initContainerStatuses?.[0]?.state?.terminated?.reason).toBe('Completed');
    expect(running.status?.containerStatuses?.[0]?.containerID).toMatch(/^docker:\/\/[0-9a-f]+$/);
    expect(await fetchFromPod(ip, '/index.html')).toBe('hello from $(POD_NAME)\n'.replace('$(POD_NAME)', 'web'));

    const logs = await kubeletGet('/containerLogs/default/web/setup');
    expect(logs).toEqual({ status: 200, body: 'setup done\n' });
    const health = await kubeletGet('/healthz');
    expect(health.status).toBe(200);
    expect(await kubeletGet('/readyz')).toEqual({ status: 200, body: 'ok' });
    expect((await kubeletGet('/metrics')).body).toMatch(/^kubelet_node_name\{node="[^"]+"\} 1$/m);
  }, 90_000);

  it('execs in the container through the kubelet API over WebSocket (v5.channel.k8s.io)', async () => {
    const command = ['sh', '-c', 'echo out-$HOSTNAME; echo err >&2; exit 3']
      .map((c) => `command=${encodeURIComponent(c)}`)
      .join('&');
    const socket = new WebSocket(
      `wss://127.0.0.1:${kubeletPort}/exec/default/web/web?${command}&stdout=1&stderr=1`,
      ['v5.channel.k8s.io'],
      {
        rejectUnauthorized: false,
        headers: { Authorization: `Bearer ${TOKEN}` },
      },
    );
    const frames: Record<number, string> = {};
    await dumpOnFailure(
      new Promise<void>((resolvePromise, reject) => {
        socket.on('message', (data: Buffer) => {
          const channel = data[0] ?? -1;
          frames[channel] = (frames[channel] ?? '') + data.subarray(1).toString('utf8');
        });
        socket.once('close', () => resolvePromise());
        socket.once('error', reject);
        setTimeout(() => reject(new Error('exec did not finish')), 20_000);
      }),
    );
    expect(socket.protocol).toBe('v5.channel.k8s.io');
    expect(frames[1]).toBe('out-web\n');
    expect(frames[2]).toBe('err\n');
    const status = JSON.parse(frames[3] ?? '{}') as {
      status?: string;
      reason?: string;
      details?: { causes?: Array<{ reason?: string; message?: string }> };
    };
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode' });
    expect(status.details?.causes).toContainEqual({ reason: 'ExitCode', message: '3' });
  }, 60_000);

  it('restarts a killed container at once, counting the restart', async () => {
    const api = client as ApiClient;
    const before = await api.get<Pod>(PODS(), 'web');
    const id = (before.status?.containerStatuses?.[0]?.containerID ?? '').replace('docker://', '');
    const killedAt = Date.now();
    await run('docker', ['kill', '--signal', 'KILL', id]);
    const after = await dumpOnFailure(
      waitFor(
        'the container to be back',
        async () => {
          const p = await api.get<Pod>(PODS(), 'web');
          const status = p.status?.containerStatuses?.[0];
          return status?.restartCount === 1 && status.state?.running ? p : undefined;
        },
        30_000,
        100,
      ),
    );
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(after.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(137);
    expect(after.status?.podIP).toBe(before.status?.podIP);
  }, 60_000);

  it('adopts the running pod after the kubelet is killed and started again', async () => {
    const api = client as ApiClient;
    const before = await api.get<Pod>(PODS(), 'web');
    const kubelet = processes.find((p) => p.name === 'kubelet');
    kubelet?.child.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const restarted = startProcess('kubelet', kubeletArgs);
    processes.push(restarted);
    await dumpOnFailure(
      waitFor(
        'the restarted kubelet to answer',
        async () => ((await kubeletGet('/healthz')).status === 200 ? true : undefined),
        30_000,
      ),
    );
    // Give it a few syncs and relists.
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await api.get<Pod>(PODS(), 'web');
    expect(after.status?.containerStatuses?.[0]?.containerID).toBe(before.status?.containerStatuses?.[0]?.containerID);
    expect(after.status?.containerStatuses?.[0]?.restartCount).toBe(
      before.status?.containerStatuses?.[0]?.restartCount,
    );
    expect(after.status?.podIP).toBe(before.status?.podIP);
    expect(after.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
  }, 60_000);

  it('shows CrashLoopBackOff for a container that keeps failing, and restarts one whose liveness probe fails', async () => {
    const api = client as ApiClient;
    const base = { nodeName: NODE, terminationGracePeriodSeconds: 1 };
    const crash = await api.create<Pod>(PODS(), {
      metadata: { name: 'crash', namespace: 'default' },
      spec: {
        ...base,
        containers: [{ name: 'crash', image: 'busybox:1.35', command: ['sh', '-c', 'echo dying; exit 1'] }],
      },
    });
    const live = await api.create<Pod>(PODS(), {
      metadata: { name: 'live', namespace: 'default' },
      spec: {
        ...base,
        containers: [
          {
            name: 'live',
            image: 'busybox:1.35',
            command: ['sleep', '3600'],
            livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
      },
    });
    extraUids.push(crash.metadata?.uid ?? '', live.metadata?.uid ?? '');
    const looping = await dumpOnFailure(
      waitFor(
        'CrashLoopBackOff',
        async () => {
          const p = await api.get<Pod>(PODS(), 'crash');
          const status = p.status?.containerStatuses?.[0];
          return status?.state?.waiting?.reason === 'CrashLoopBackOff' ? status : undefined;
        },
        30_000,
      ),
    );
    expect(looping.restartCount).toBeGreaterThanOrEqual(1);
    expect(looping.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(looping.state?.waiting?.message).toMatch(
      /^back-off 10s restarting failed container=crash pod=crash_default\(/,
    );
    expect((await kubeletGet('/containerLogs/default/crash/crash?previous=true')).body).toBe('dying\n');

    const restarted = await dumpOnFailure(
      waitFor(
        'a liveness restart',
        async () => {
          const p = await api.get<Pod>(PODS(), 'live');
          const status = p.status?.containerStatuses?.[0];
          return (status?.restartCount ?? 0) >= 1 ? status : undefined;
        },
        30_000,
      ),
    );
    expect(restarted.lastState?.terminated?.exitCode).toBe(137);

    await api.delete(PODS(), 'crash');
    await api.delete(PODS(), 'live');
    for (const name of ['crash', 'live']) await podGone(name, 30_000);
  }, 90_000);

  it("gives a pod the cluster DNS in /etc/resolv.conf and its namespace's Services as variables", async () => {
    const api = client as ApiClient;
    await api.create<Service>(SERVICES(), {
      metadata: { name: 'redis-primary', namespace: 'default' },
      spec: { clusterIP: '10.96.201.11', ports: [{ name: 'redis', port: 6379 }] },
    });
    const created = await api.create<Pod>(PODS(), {
      metadata: { name: 'lookup', namespace: 'default' },
      spec: {
        nodeName: NODE,
        restartPolicy: 'Never',
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'lookup',
            image: 'busybox:1.35',
            command: ['sh', '-c', 'cat /etc/resolv.conf; env | grep ^REDIS_PRIMARY_ | sort'],
          },
        ],
      },
    });
    extraUids.push(created.metadata?.uid ?? '');
    await dumpOnFailure(
      waitFor(
        'the lookup pod to finish',
        async () => ((await api.get<Pod>(PODS(), 'lookup')).status?.phase === 'Succeeded' ? true : undefined),
        60_000,
      ),
    );
    const { body } = await kubeletGet('/containerLogs/default/lookup/lookup');
    const lines = body.split('\n');
    expect(lines[0]).toBe('nameserver 10.96.0.10');
    expect(lines[1]).toMatch(/^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local( |$)/);
    expect(lines[2]).toBe('options ndots:5');
    expect(lines).toEqual(
      expect.arrayContaining([
        'REDIS_PRIMARY_SERVICE_HOST=10.96.201.11',
        'REDIS_PRIMARY_SERVICE_PORT=6379',
        'REDIS_PRIMARY_SERVICE_PORT_REDIS=6379',
        'REDIS_PRIMARY_PORT=tcp://10.96.201.11:6379',
        'REDIS_PRIMARY_PORT_6379_TCP=tcp://10.96.201.11:6379',
        'REDIS_PRIMARY_PORT_6379_TCP_PROTO=tcp',
        'REDIS_PRIMARY_PORT_6379_TCP_PORT=6379',
        'REDIS_PRIMARY_PORT_6379_TCP_ADDR=10.96.201.11',
      ]),
    );

    await api.delete(PODS(), 'lookup');
    await api.delete(SERVICES(), 'redis-primary');
    await podGone('lookup', 30_000);
  }, 90_000);

  it('deletes the pod: containers gone, address released, pod removed from the API', async () => {
    const api = client as ApiClient;
    await api.delete(PODS(), 'web');
    await podGone('web', 60_000);
    const { stdout } = await run('docker', ['ps', '-aq', '--filter', `label=io.kubernetes.pod.uid=${podUid}`]);
    expect(stdout.trim()).toBe('');
    const cni = connectCni(`unix://${join(dir, 'cni.sock')}`);
    try {
      expect((await cni.status()).allocated).toBe(0);
    } finally {
      cni.close();
    }
  }, 90_000);
});

describe('kubelet on cri-fake without --pod-cidr', () => {
  const FAKE_NODE = `${NODE}-fake`;
  const FAKE_POD_CIDR = '10.244.252.0/24';
  const readyOf = (node: Node) => node.status?.conditions?.find((c) => c.type === 'Ready');

  it('waits NotReady for a pod CIDR, then hands the one node IPAM set to the runtime and runs a pod in it', async () => {
    const api = client as ApiClient;
    const criSocket = join(dir, 'cri-fake.sock');
    let runtime: RunningFakeRuntime | undefined;
    let kubelet: TestProcess | undefined;
    try {
      runtime = await startFakeRuntime({ listen: `unix://${criSocket}` });
      kubelet = startProcess('kubelet-fake', [
        join(ROOT, 'services/kubelet/dist/main.js'),
        '--node-name',
        FAKE_NODE,
        '--apiserver-grpc',
        apiserver?.grpcAddress ?? '',
        '--token-file',
        tokenFilePath,
        '--container-runtime-endpoint',
        `unix://${criSocket}`,
        // Only asked for its status: cri-fake hands out the pod IPs itself.
        '--network-plugin-endpoint',
        `unix://${join(dir, 'cni.sock')}`,
        '--root-dir',
        join(dir, 'kubelet-fake'),
        '--port',
        String(await freePort()),
      ]);
      processes.push(kubelet);

      const registered = await dumpOnFailure(
        waitFor(
          'the node to register and post its status',
          async () => {
            const node = await api.get<Node>(NODES, FAKE_NODE);
            return readyOf(node) ? node : undefined;
          },
          60_000,
        ),
      );
      expect(registered.spec?.podCIDR).toBeUndefined();
      expect(readyOf(registered)).toMatchObject({
        status: 'False',
        reason: 'KubeletNotReady',
        message: 'network not ready: the node has no pod CIDR yet',
      });

      // What node IPAM does shortly after registration.
      const assignedAt = Date.now();
      await api.patch(NODES, FAKE_NODE, 'merge', { spec: { podCIDR: FAKE_POD_CIDR, podCIDRs: [FAKE_POD_CIDR] } });
      await dumpOnFailure(
        waitFor(
          'the node to be Ready',
          async () => {
            const node = await api.get<Node>(NODES, FAKE_NODE);
            return readyOf(node)?.status === 'True' ? node : undefined;
          },
          30_000,
          100,
        ),
      );
      expect(Date.now() - assignedAt).toBeLessThan(5_000);
      expect(runtime.runtime.podCidr).toBe(FAKE_POD_CIDR);

      const created = await api.create<Pod>(PODS(), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'fake-web', namespace: 'default' },
        spec: { nodeName: FAKE_NODE, containers: [{ name: 'web', image: 'busybox:1.35' }] },
      });
      const running = await dumpOnFailure(
        waitFor(
          'the pod to be Running',
          async () => {
            const p = await api.get<Pod>(PODS(), 'fake-web');
            return p.status?.phase === 'Running' ? p : undefined;
          },
          30_000,
        ),
      );
      expect(running.metadata?.uid).toBe(created.metadata?.uid);
      expect(running.status?.podIP).toMatch(/^10\.244\.252\.\d+$/);
    } finally {
      await kubelet?.stop();
      await runtime?.stop();
      await api.delete(PODS(), 'fake-web', { gracePeriodSeconds: 0 }).catch(() => undefined);
    }
  }, 120_000);
});
