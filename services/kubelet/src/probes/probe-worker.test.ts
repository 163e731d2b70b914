import type { Container, Pod, PodStatus, Probe } from '@tkube/api';
import { FakeClock } from '@tkube/client';
import { describe, expect, it } from 'vitest';
import { ProbeResults } from './probe-results.js';
import type { ProbeOutcome } from './probe-runners.js';
import { ProbeWorker } from './probe-worker.js';

const STARTED = Date.parse('2025-01-01T00:00:00Z');

function setup(
  kind: 'liveness' | 'readiness' | 'startup',
  probe: Probe,
  container: Container = { name: 'web' },
  apiReady = false,
) {
  const changes: string[] = [];
  const results = new ProbeResults((uid, k) => changes.push(`${uid}:${k}`));
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: { containers: [container] },
    status: {
      containerStatuses: [
        {
          name: 'web',
          image: 'i',
          imageID: '',
          ready: apiReady,
          restartCount: 0,
          containerID: 'docker://c1',
          state: { running: {} },
        },
      ],
    },
  };
  let status: PodStatus | undefined = {
    phase: 'Running',
    podIP: '10.244.1.5',
    containerStatuses: [
      {
        name: 'web',
        image: 'i',
        imageID: '',
        ready: false,
        restartCount: 0,
        containerID: 'docker://c1',
        state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
      },
    ],
  };
  let now = STARTED;
  const outcomes: ProbeOutcome[] = [];
  const unhealthy: string[] = [];
  let probed = 0;
  const worker = new ProbeWorker(pod, container, kind, probe, {
    results,
    clock: new FakeClock(),
    statusOf: () => status,
    run: async () => {
      probed++;
      return { outcome: outcomes.shift() ?? 'success', output: 'HTTP probe failed with statuscode: 500' };
    },
    unhealthy: (_pod, _c, _k, message) => unhealthy.push(message),
    wallNow: () => now,
  });
  return {
    worker,
    results,
    changes,
    unhealthy,
    outcomes,
    probed: () => probed,
    setNow: (ms: number) => {
      now = STARTED + ms;
    },
    setStatus: (s: PodStatus | undefined) => {
      status = s;
    },
  };
}

describe('ProbeWorker', () => {
  it('readiness starts as failure, passes after successThreshold successes, fails after failureThreshold failures', async () => {
    const t = setup('readiness', { httpGet: { port: 8080 }, successThreshold: 2, failureThreshold: 2 });
    t.outcomes.push('success', 'success', 'failure', 'failure');
    await t.worker.doProbe();
    expect(t.results.get('readiness', 'c1')).toBe('failure');
    await t.worker.doProbe();
    expect(t.results.get('readiness', 'c1')).toBe('success');
    await t.worker.doProbe();
    expect(t.results.get('readiness', 'c1')).toBe('success');
    await t.worker.doProbe();
    expect(t.results.get('readiness', 'c1')).toBe('failure');
    expect(t.unhealthy).toEqual([
      'Readiness probe failed: HTTP probe failed with statuscode: 500',
      'Readiness probe failed: HTTP probe failed with statuscode: 500',
    ]);
  });

  it('keeps a container the API shows ready ready after a kubelet restart, until a probe fails', async () => {
    const t = setup('readiness', { httpGet: { port: 8080 }, failureThreshold: 1 }, { name: 'web' }, true);
    t.worker.seedFromApi();
    expect(t.results.get('readiness', 'c1')).toBe('success');
    t.outcomes.push('failure');
    await t.worker.doProbe();
    expect(t.results.get('readiness', 'c1')).toBe('failure');
  });

  it('waits initialDelaySeconds after the container started', async () => {
    const t = setup('liveness', { exec: { command: ['true'] }, initialDelaySeconds: 5 });
    t.setNow(4_000);
    await t.worker.doProbe();
    expect(t.probed()).toBe(0);
    expect(t.results.get('liveness', 'c1')).toBe('success');
    t.setNow(5_000);
    await t.worker.doProbe();
    expect(t.probed()).toBe(1);
  });

  it('holds after a liveness failure until the container is replaced', async () => {
    const t = setup('liveness', { exec: { command: ['x'] }, failureThreshold: 1 });
    t.outcomes.push('failure');
    await t.worker.doProbe();
    expect(t.results.livenessFailed('c1')).toBe(true);
    await t.worker.doProbe();
    expect(t.probed()).toBe(1);
    t.setStatus({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'web',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 1,
          containerID: 'docker://c2',
          state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
        },
      ],
    });
    await t.worker.doProbe();
    expect(t.probed()).toBe(2);
    expect(t.results.livenessFailed('c2')).toBe(false);
    expect(t.results.get('liveness', 'c1')).toBeUndefined();
  });

  it('holds liveness and readiness until the startup probe passed', async () => {
    const container: Container = {
      name: 'web',
      startupProbe: { exec: { command: ['x'] } },
      readinessProbe: { exec: { command: ['y'] } },
    };
    const t = setup('readiness', { exec: { command: ['y'] } }, container);
    await t.worker.doProbe();
    expect(t.probed()).toBe(0);
    expect(t.results.ready('c1', container)).toBe(false);
    t.results.set('startup', 'c1', 'success', 'u');
    await t.worker.doProbe();
    expect(t.probed()).toBe(1);
    expect(t.results.ready('c1', container)).toBe(true);
  });

  it('stops once the pod finished', async () => {
    const t = setup('readiness', { exec: { command: ['y'] } });
    t.setStatus({ phase: 'Succeeded' });
    expect(await t.worker.doProbe()).toBe(false);
  });
});
