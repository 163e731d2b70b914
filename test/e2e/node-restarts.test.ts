/**
 * Issue 3, acceptance 2: a container killed from the host is back in under a second, and
 * a container that keeps exiting 1 goes into CrashLoopBackOff with growing delays (first
 * restart at once, then 10 s, then 20 s).
 */
import type { Pod } from '@tkube/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from './harness/cluster.js';
import { docker, dockerState } from './harness/host.js';
import {
  applyObjects,
  BUSYBOX,
  busyboxPod,
  containerStatus,
  dockerId,
  isRunning,
  waitForPod,
  watchPod,
} from './harness/pods.js';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startTestCluster();
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('restarts', () => {
  it('brings a container killed from the host back in under 1 s with restartCount 1', async () => {
    await applyObjects(
      cluster,
      busyboxPod('victim', { containers: [{ name: 'main', image: BUSYBOX, command: ['sleep', '3600'] }] }),
    );
    const before = await waitForPod(cluster, 'victim', 'Running', isRunning, 10_000);
    const killedId = dockerId(containerStatus(before, 'main').containerID);

    const watch = watchPod(cluster, 'victim');
    try {
      await watch.opened;
      const killedAt = Date.now();
      await docker(['kill', '--signal', 'KILL', killedId]);
      const seen = await watch.waitFor(
        'running again with restartCount 1',
        (pod) => {
          const status = pod.status?.containerStatuses?.find((c) => c.name === 'main');
          return status?.restartCount === 1 && status.state?.running !== undefined;
        },
        killedAt,
        5_000,
      );
      // The API shows it within 5 s of the kill (status writes may lag the container).
      expect(seen.at - killedAt).toBeLessThan(5_000);

      // The container itself: from the old one's death to the new one's start, by Docker's clock.
      const restartedId = dockerId(containerStatus(seen.pod, 'main').containerID);
      expect(restartedId).not.toBe(killedId);
      const died = Date.parse((await dockerState(killedId)).FinishedAt);
      const started = Date.parse((await dockerState(restartedId)).StartedAt);
      expect(started - died).toBeGreaterThanOrEqual(0);
      expect(started - died).toBeLessThan(1_000);
      expect(containerStatus(seen.pod, 'main').lastState?.terminated?.exitCode).toBe(137);
    } finally {
      watch.stop();
    }
  });

  it('backs a container that keeps exiting 1 off in CrashLoopBackOff with growing delays', async () => {
    // A watch sees every status the kubelet writes; polling can miss the first attempts,
    // which come and go within a second.
    const watch = watchPod(cluster, 'crasher');
    await watch.opened;
    await applyObjects(
      cluster,
      busyboxPod('crasher', {
        containers: [{ name: 'main', image: BUSYBOX, command: ['sh', '-c', 'echo crashing; exit 1'] }],
      }),
    );
    // Each attempt's start and finish, as the statuses tell them (attempt n = restartCount n).
    const attempts = new Map<number, { startedAt?: string; finishedAt?: string }>();
    const record = (attempt: number, times: { startedAt?: string; finishedAt?: string }) => {
      const known = attempts.get(attempt) ?? {};
      attempts.set(attempt, { ...known, ...Object.fromEntries(Object.entries(times).filter(([, v]) => v)) });
    };
    let sawBackOff = false;
    const observe = (pod: Pod) => {
      const status = pod.status?.containerStatuses?.find((c) => c.name === 'main');
      if (!status) return;
      const count = status.restartCount ?? 0;
      const { running, terminated, waiting } = status.state ?? {};
      if (running) record(count, { startedAt: running.startedAt });
      if (terminated) record(count, { startedAt: terminated.startedAt, finishedAt: terminated.finishedAt });
      // While waiting, lastState is the attempt that just died; else the one before the current.
      const last = status.lastState?.terminated;
      if (last) record(waiting ? count : count - 1, { startedAt: last.startedAt, finishedAt: last.finishedAt });
      if (waiting?.reason === 'CrashLoopBackOff') sawBackOff = true;
    };

    try {
      await watch.waitFor(
        'restarted 3 times',
        (pod) => {
          observe(pod);
          return attempts.get(3)?.startedAt !== undefined;
        },
        0,
        45_000,
      );
    } finally {
      watch.stop();
    }
    expect(sawBackOff).toBe(true);

    const gapSeconds = (n: number) => {
      const finished = attempts.get(n)?.finishedAt;
      const next = attempts.get(n + 1)?.startedAt;
      if (!finished || !next)
        throw new Error(`attempt ${n} or ${n + 1} was not seen: ${JSON.stringify([...attempts])}`);
      return (Date.parse(next) - Date.parse(finished)) / 1000;
    };
    const gaps = [gapSeconds(0), gapSeconds(1), gapSeconds(2)];
    // Timestamps have second resolution: allow a second either way (and the relist period).
    expect(gaps[0]).toBeLessThanOrEqual(2);
    expect(gaps[1]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeLessThanOrEqual(13);
    expect(gaps[2]).toBeGreaterThanOrEqual(19);
    expect(gaps[2]).toBeLessThanOrEqual(23);
  }, 60_000);
});
