import type { Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import type { ContainerRuntimeStatus, PodRuntimeStatus } from '../runtime/pod-runtime-status.js';
import type { ContainerStatus, ProbeView } from './container-statuses.js';
import { generatePodStatus } from './generate-pod-status.js';
import { podPhase } from './pod-phase.js';
import { StatusManager } from './status-manager.js';

const running: ContainerStatus['state'] = { running: { startedAt: '2025-01-01T00:00:00Z' } };
const ok: ContainerStatus['state'] = { terminated: { exitCode: 0 } };
const failed: ContainerStatus['state'] = { terminated: { exitCode: 1 } };
const waiting: ContainerStatus['state'] = { waiting: { reason: 'ContainerCreating' } };
const cs = (name: string, state: ContainerStatus['state'], lastState?: ContainerStatus['state']): ContainerStatus => ({
  name,
  image: 'i',
  imageID: '',
  ready: false,
  restartCount: 0,
  state,
  ...(lastState ? { lastState } : {}),
});

function pod(restartPolicy: string, containers = ['a', 'b'], inits: string[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: {
      restartPolicy,
      containers: containers.map((name) => ({ name, image: 'busybox:1.35' })),
      initContainers: inits.map((name) => ({ name, image: 'busybox:1.35' })),
    },
  };
}

describe('podPhase', () => {
  it.each([
    ['Always', [running, running], [], 'Running'],
    ['Always', [running, waiting], [], 'Pending'],
    ['Always', [ok, failed], [], 'Running'],
    ['Never', [ok, ok], [], 'Succeeded'],
    ['Never', [ok, failed], [], 'Failed'],
    ['OnFailure', [ok, failed], [], 'Running'],
    ['OnFailure', [ok, ok], [], 'Succeeded'],
    ['Always', [waiting, waiting], [waiting], 'Pending'],
    ['Never', [waiting, waiting], [failed], 'Failed'],
    ['Always', [waiting, waiting], [failed], 'Pending'],
  ] as const)('%s with %j (init %j) is %s', (policy, states, initStates, phase) => {
    const p = pod(
      policy,
      ['a', 'b'],
      initStates.map((_, i) => `i${i}`),
    );
    const statuses = states.map((s, i) => cs(i === 0 ? 'a' : 'b', s));
    const inits = initStates.map((s, i) => cs(`i${i}`, s));
    expect(podPhase(p, statuses, inits)).toBe(phase);
  });

  it('a crash-looping container (waiting, last terminated) keeps an Always pod Running', () => {
    expect(podPhase(pod('Always', ['a']), [cs('a', { waiting: { reason: 'CrashLoopBackOff' } }, failed)], [])).toBe(
      'Running',
    );
  });
});

function rc(
  name: string,
  state: ContainerRuntimeStatus['state'],
  extra: Partial<ContainerRuntimeStatus> = {},
): ContainerRuntimeStatus {
  return {
    id: `${name}-id`,
    name,
    type: 'app',
    sandboxId: 'sb',
    state,
    createdAt: 1000,
    startedAt: 1_735_689_600_000,
    finishedAt: state === 'exited' ? 1_735_689_601_000 : 0,
    exitCode: 0,
    reason: '',
    message: '',
    image: 'busybox:1.35',
    imageRef: 'docker-pullable://busybox@sha256:abc',
    hash: '',
    restartCount: 0,
    annotations: {},
    ...extra,
  };
}

const allReady: ProbeView = { ready: () => true, started: () => true };

describe('generatePodStatus', () => {
  const sandbox = { id: 'sb', attempt: 0, ready: true, createdAt: 1, ips: ['10.244.1.7'] };

  it('reports a running, ready pod with IPs, conditions and container statuses', () => {
    const runtime: PodRuntimeStatus = {
      uid: 'u',
      sandboxes: [sandbox],
      containers: [rc('a', 'running'), rc('b', 'running')],
    };
    const status = generatePodStatus({
      pod: pod('Always'),
      runtime,
      failures: new Map(),
      probes: allReady,
      runtimeName: 'docker',
      hostIps: ['127.0.0.1'],
      now: Date.parse('2025-01-01T00:00:05Z'),
    });
    expect(status).toMatchObject({
      phase: 'Running',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      hostIP: '127.0.0.1',
      startTime: '2025-01-01T00:00:05Z',
    });
    expect(status.containerStatuses?.[0]).toMatchObject({
      name: 'a',
      containerID: 'docker://a-id',
      imageID: 'docker-pullable://busybox@sha256:abc',
      ready: true,
      started: true,
      state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
    });
    const conditions = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c.status]));
    expect(conditions).toEqual({
      PodReadyToStartContainers: 'True',
      Initialized: 'True',
      ContainersReady: 'True',
      Ready: 'True',
      PodScheduled: 'True',
    });
  });

  it('shows CrashLoopBackOff as waiting with the exit as lastState, and readiness failures as not Ready', () => {
    const runtime: PodRuntimeStatus = {
      uid: 'u',
      sandboxes: [sandbox],
      containers: [rc('a', 'exited', { exitCode: 1, restartCount: 3 }), rc('b', 'running')],
    };
    const status = generatePodStatus({
      pod: pod('Always'),
      runtime,
      failures: new Map([
        ['a', { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=a pod=p_ns(u)' }],
      ]),
      probes: { ready: (id) => id !== 'b-id', started: () => true },
      runtimeName: 'docker',
      hostIps: ['127.0.0.1'],
      now: 0,
    });
    const a = status.containerStatuses?.[0];
    expect(a?.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(a?.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(a?.restartCount).toBe(3);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a b]',
    });
    expect(status.phase).toBe('Running');
  });

  it('shows init progress: PodInitializing app containers and the Initialized condition', () => {
    const p = pod('Always', ['a'], ['setup']);
    const runtime: PodRuntimeStatus = {
      uid: 'u',
      sandboxes: [sandbox],
      containers: [rc('setup', 'running', { type: 'init' })],
    };
    const status = generatePodStatus({
      pod: p,
      runtime,
      failures: new Map(),
      probes: allReady,
      runtimeName: 'docker',
      hostIps: [],
      now: 0,
    });
    expect(status.phase).toBe('Pending');
    expect(status.containerStatuses?.[0]?.state?.waiting?.reason).toBe('PodInitializing');
    expect(status.initContainerStatuses?.[0]?.state?.running).toBeDefined();
    expect(status.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [setup]',
    });
  });

  it('reports the generation it reflects', () => {
    const p: Pod = { ...pod('Always', ['a']), metadata: { name: 'p', namespace: 'ns', uid: 'u', generation: 3 } };
    const runtime: PodRuntimeStatus = { uid: 'u', sandboxes: [], containers: [] };
    const status = generatePodStatus({
      pod: p,
      runtime,
      failures: new Map(),
      probes: allReady,
      runtimeName: 'docker',
      hostIps: [],
      now: 0,
    });
    expect(status.observedGeneration).toBe(3);
    expect(status.conditions?.find((c) => c.type === 'Ready')?.observedGeneration).toBe(3);
  });

  it('never moves a terminal phase back', () => {
    const p = { ...pod('Never', ['a']), status: { phase: 'Succeeded' } };
    const runtime: PodRuntimeStatus = { uid: 'u', sandboxes: [], containers: [] };
    const status = generatePodStatus({
      pod: p,
      runtime,
      failures: new Map(),
      probes: allReady,
      runtimeName: 'docker',
      hostIps: [],
      now: 0,
    });
    expect(status.phase).toBe('Succeeded');
  });

  it('keeps the lastTransitionTime of conditions that did not change', () => {
    const p: Pod = {
      ...pod('Always', ['a']),
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2020-01-01T00:00:00Z' }] },
    };
    const runtime: PodRuntimeStatus = { uid: 'u', sandboxes: [sandbox], containers: [rc('a', 'running')] };
    const status = generatePodStatus({
      pod: p,
      runtime,
      failures: new Map(),
      probes: allReady,
      runtimeName: 'docker',
      hostIps: [],
      now: Date.parse('2025-01-01T00:00:00Z'),
    });
    expect(status.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2020-01-01T00:00:00Z');
    expect(status.conditions?.find((c) => c.type === 'ContainersReady')?.lastTransitionTime).toBe(
      '2025-01-01T00:00:00Z',
    );
  });
});

describe('StatusManager', () => {
  it('writes only a changed status, once while the watch lags', async () => {
    const writes: unknown[] = [];
    const manager = new StatusManager({
      patchStatus: async (_ns, _name, _uid, status) => {
        writes.push(status);
        return {};
      },
    });
    const p: Pod = { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, status: { phase: 'Pending' } };
    expect(await manager.setPodStatus(p, { phase: 'Pending' })).toBe(false);
    expect(await manager.setPodStatus(p, { phase: 'Running' })).toBe(true);
    expect(await manager.setPodStatus(p, { phase: 'Running' })).toBe(false);
    expect(writes).toHaveLength(1);
    expect(manager.statusOf('u')).toEqual({ phase: 'Running' });
  });
});
