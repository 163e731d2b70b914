/**
 * Issue 3, acceptance 4: a pod with an init container and two app containers. The init
 * container runs to completion first; the app containers share the pod's network (127.0.0.1)
 * and an emptyDir; env from fieldRef and configMapKeyRef is set.
 */
import type { Pod } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { applyObjects, BUSYBOX, busyboxPod, isRunning, NODE, waitForPod } from './harness/pods.js';

let cluster: TestCluster;
let pod: Pod;

const shared = [{ name: 'shared', mountPath: '/shared' }];

beforeAll(async () => {
  cluster = await startTestCluster();
  await applyObjects(
    cluster,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'greetings' },
      data: { greeting: 'hello from a configmap' },
    },
    busyboxPod('duo', {
      volumes: [{ name: 'shared', emptyDir: {} }],
      initContainers: [
        {
          name: 'prepare',
          image: BUSYBOX,
          command: ['sh', '-c', 'echo prepared > /shared/init.txt'],
          volumeMounts: shared,
        },
      ],
      containers: [
        {
          name: 'server',
          image: BUSYBOX,
          // What it finds at start proves the init container ran before it.
          command: [
            'sh',
            '-c',
            'cp /shared/init.txt /shared/server-saw-init.txt; echo from-server > /shared/server.txt; mkdir -p /www; echo served-on-localhost > /www/index.html; exec httpd -f -p 8080 -h /www',
          ],
          volumeMounts: shared,
        },
        {
          name: 'client',
          image: BUSYBOX,
          command: ['sh', '-c', 'echo from-client > /shared/client.txt; exec sleep 3600'],
          volumeMounts: shared,
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'greetings', key: 'greeting' } } },
            { name: 'PLAIN', value: 'plain value' },
          ],
        },
      ],
    }),
  );
  pod = await waitForPod(cluster, 'duo', 'Running', isRunning, 20_000);
});
afterAll(async () => {
  await cluster?.destroy();
});

const exec = (container: string, ...command: string[]) =>
  cluster.kubectl(['exec', 'duo', '-c', container, '--', ...command]);

describe('a pod with an init container and two app containers', () => {
  it('ran the init container to completion before the app containers', async () => {
    const init = pod.status?.initContainerStatuses?.find((c) => c.name === 'prepare');
    expect(init?.state?.terminated?.exitCode).toBe(0);
    expect(init?.state?.terminated?.reason).toBe('Completed');
    expect(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(await exec('server', 'cat', '/shared/server-saw-init.txt')).toBe('prepared\n');
    const initFinished = Date.parse(init?.state?.terminated?.finishedAt ?? '');
    for (const status of pod.status?.containerStatuses ?? []) {
      expect(Date.parse(status.state?.running?.startedAt ?? '')).toBeGreaterThanOrEqual(initFinished);
    }
  });

  it('lets the app containers reach each other on 127.0.0.1', async () => {
    // busybox 1.35's wget (Debian's busybox-static in deploy/install.sh's image) segfaults: nc speaks HTTP instead.
    const response = await exec('client', 'sh', '-c', "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 8080");
    expect(response).toMatch(/^HTTP\/1\.[01] 200 OK\r\n/);
    expect(response.endsWith('\r\n\r\nserved-on-localhost\n')).toBe(true);
  });

  it('shares the emptyDir between the app containers', async () => {
    expect(await exec('server', 'cat', '/shared/client.txt')).toBe('from-client\n');
    expect(await exec('client', 'cat', '/shared/server.txt', '/shared/init.txt')).toBe('from-server\nprepared\n');
  });

  it('sets env from fieldRef and configMapKeyRef', async () => {
    const env = new Map(
      (await exec('client', 'env'))
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(env.get('POD_NAME')).toBe('duo');
    expect(env.get('POD_NAMESPACE')).toBe('default');
    expect(env.get('POD_IP')).toBe(pod.status?.podIP);
    expect(env.get('POD_IP')).toMatch(/^10\.244\.\d+\.\d+$/);
    expect(env.get('NODE_NAME')).toBe(NODE);
    expect(env.get('GREETING')).toBe('hello from a configmap');
    expect(env.get('PLAIN')).toBe('plain value');
  });
});
