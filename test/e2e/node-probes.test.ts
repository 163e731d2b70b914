/**
 * Issue 3, acceptance 3: a failing liveness probe restarts the container (events Unhealthy
 * and Killing); a failing readiness probe turns the pod's Ready condition False without
 * restarting anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import {
  applyObjects,
  BUSYBOX,
  busyboxPod,
  containerStatus,
  eventsOf,
  readyCondition,
  waitForPod,
} from './harness/pods.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('probes', () => {
  it('restarts a container whose liveness probe fails, with the events Unhealthy and Killing', async () => {
    await applyObjects(
      cluster,
      busyboxPod('unhealthy', {
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            // Healthy for 3 s, then the probe's file goes (only in the first run of the container).
            command: ['sh', '-c', 'touch /tmp/healthy; sleep 3; rm /tmp/healthy; exec sleep 3600'],
            livenessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      }),
    );
    const pod = await waitForPod(
      cluster,
      'unhealthy',
      'restarted by its liveness probe',
      (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      20_000,
    );
    const main = containerStatus(pod, 'main');
    expect(main.lastState?.terminated).toBeDefined();

    const events = await eventsOf(cluster, 'unhealthy');
    const unhealthy = events.find((e) => e.reason === 'Unhealthy');
    expect(unhealthy?.type).toBe('Warning');
    expect(unhealthy?.message).toMatch(/^Liveness probe failed/);
    const killing = events.find((e) => e.reason === 'Killing');
    expect(killing?.message).toMatch(/failed liveness probe, will be restarted/);
  });

  it('makes a pod whose readiness probe fails not Ready, without restarting it', async () => {
    await applyObjects(
      cluster,
      busyboxPod('unready', {
        containers: [
          {
            name: 'main',
            image: BUSYBOX,
            // Ready for 6 s, then the probe's file goes.
            command: ['sh', '-c', 'touch /tmp/ready; sleep 6; rm /tmp/ready; exec sleep 3600'],
            readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
          },
        ],
      }),
    );
    await waitForPod(cluster, 'unready', 'Ready', (p) => readyCondition(p) === 'True', 10_000);
    const pod = await waitForPod(cluster, 'unready', 'not Ready', (p) => readyCondition(p) === 'False', 15_000);
    expect(pod.status?.phase).toBe('Running');
    expect(pod.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('False');
    const main = containerStatus(pod, 'main');
    expect(main.ready).toBe(false);
    expect(main.restartCount).toBe(0);
    expect(main.state?.running).toBeDefined();
    const events = await eventsOf(cluster, 'unready');
    expect(events.some((e) => e.reason === 'Unhealthy' && /^Readiness probe failed/.test(e.message ?? ''))).toBe(true);
    expect(events.some((e) => e.reason === 'Killing')).toBe(false);
  });
});
