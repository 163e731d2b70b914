/**
 * Issue 3, acceptance 7: the runtime is a flag. A cluster started with `tkube up --runtime
 * fake` has its kubelet talk to plugins/cri-fake, which runs a pod to Running in memory:
 * Docker never sees it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { containersLabelled } from './harness/host.js';
import { applyObjects, BUSYBOX, busyboxPod, isRunning, waitForPod } from './harness/pods.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster({ upFlags: ['--runtime', 'fake'] });
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('tkube up --runtime fake', () => {
  it('runs a pod to Running with no Docker container', async () => {
    expect(cluster.nodes.map((n) => n.runtime)).toEqual(['fake']);
    await applyObjects(
      cluster,
      busyboxPod('in-memory', { containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }] }),
    );
    const pod = await waitForPod(cluster, 'in-memory', 'Running', isRunning, 10_000);
    expect(pod.status?.containerStatuses?.[0]?.containerID).toMatch(/^\w+:\/\/\S+$/);
    expect(pod.status?.containerStatuses?.[0]?.containerID).not.toMatch(/^docker:/);
    expect(await containersLabelled(`io.kubernetes.pod.uid=${pod.metadata?.uid}`)).toEqual([]);
  });
});
