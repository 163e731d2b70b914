/**
 * Issue 3, acceptance 6: a kubelet killed with SIGKILL and started again (`tkube up` on the
 * same data dir starts what is missing) adopts the running pods: same containers, no restart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { containersLabelled, isAlive } from './harness/host.js';
import { applyObjects, BUSYBOX, busyboxPod, getPod, isRunning, NODE, waitForPod } from './harness/pods.js';
import { waitUntil } from './harness/wait.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('a kubelet killed and started again', () => {
  it('keeps the running pods’ containers, with restartCount 0', async () => {
    const names = ['keep-a', 'keep-b'];
    for (const name of names) {
      await applyObjects(
        cluster,
        busyboxPod(name, { containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }] }),
      );
    }
    const before = new Map<string, { ids: string[]; docker: string[]; uid: string }>();
    for (const name of names) {
      const pod = await waitForPod(cluster, name, 'Running', isRunning, 10_000);
      const uid = pod.metadata?.uid ?? '';
      before.set(name, {
        uid,
        ids: (pod.status?.containerStatuses ?? []).map((c) => c.containerID ?? ''),
        docker: (await containersLabelled(`io.kubernetes.pod.uid=${uid}`)).sort(),
      });
    }

    const pidFile = join(cluster.dataDir, 'run', `kubelet-${NODE}.pid`);
    const { pid } = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number };
    process.kill(pid, 'SIGKILL');
    await waitUntil('the kubelet to die', () => !isAlive(pid), 5_000, 50);

    const up = await cluster.tkube('up');
    expect(up.stdout).toContain(`✓ Starting the kubelet of ${NODE}`);
    const { pid: newPid } = JSON.parse(await readFile(pidFile, 'utf8')) as { pid: number };
    expect(newPid).not.toBe(pid);

    // A few relists of the new kubelet, so a restart it would make has time to show.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    for (const name of names) {
      const pod = await getPod(cluster, name);
      const was = before.get(name);
      expect(isRunning(pod)).toBe(true);
      expect((pod.status?.containerStatuses ?? []).map((c) => c.containerID ?? '')).toEqual(was?.ids);
      expect(pod.status?.containerStatuses?.every((c) => c.restartCount === 0)).toBe(true);
      expect((await containersLabelled(`io.kubernetes.pod.uid=${was?.uid}`)).sort()).toEqual(was?.docker);
    }
  });
});
