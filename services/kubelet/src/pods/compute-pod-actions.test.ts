import type { Container, Pod } from '@tkube/api';
import { describe, expect, it } from 'vitest';
import { hashContainer } from '../runtime/container-hash.js';
import type { ContainerRuntimeStatus, PodRuntimeStatus, SandboxRuntimeStatus } from '../runtime/pod-runtime-status.js';
import { computePodActions, findNextInitContainerToRun } from './compute-pod-actions.js';

const web: Container = { name: 'web', image: 'busybox:1.35' };
const side: Container = { name: 'side', image: 'busybox:1.35' };
const init1: Container = { name: 'init1', image: 'busybox:1.35' };
const init2: Container = { name: 'init2', image: 'busybox:1.35' };

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', initContainers: Container[] = []): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u' },
    spec: { restartPolicy, containers: [web, side], initContainers },
  };
}

const readySandbox: SandboxRuntimeStatus = { id: 'sb1', attempt: 0, ready: true, createdAt: 1, ips: ['10.244.1.2'] };

let seq = 100;
function container(
  spec: Container,
  state: ContainerRuntimeStatus['state'],
  exitCode = 0,
  extra: Partial<ContainerRuntimeStatus> = {},
): ContainerRuntimeStatus {
  seq++;
  return {
    id: `${spec.name}-${seq}`,
    name: spec.name,
    type: 'app',
    sandboxId: 'sb1',
    state,
    createdAt: seq,
    startedAt: seq,
    finishedAt: state === 'exited' ? seq : 0,
    exitCode,
    reason: '',
    message: '',
    image: spec.image ?? '',
    imageRef: '',
    hash: hashContainer(spec),
    restartCount: 0,
    annotations: {},
    ...extra,
  };
}

function status(sandboxes: SandboxRuntimeStatus[], containers: ContainerRuntimeStatus[]): PodRuntimeStatus {
  return { uid: 'u', sandboxes, containers: [...containers].sort((a, b) => b.createdAt - a.createdAt) };
}

const summary = (a: ReturnType<typeof computePodActions>) => ({
  killPod: a.killPod,
  createSandbox: a.createSandbox,
  attempt: a.attempt,
  next: a.nextInitContainerToStart?.name,
  start: a.containersToStart,
  kill: [...a.containersToKill.values()].map((k) => k.message),
});

describe('computePodActions', () => {
  it.each([
    {
      name: 'a new pod: create the sandbox and start every container',
      pod: pod(),
      status: status([], []),
      want: { killPod: true, createSandbox: true, attempt: 0, next: undefined, start: [0, 1], kill: [] },
    },
    {
      name: 'a new pod with init containers: sandbox, then the first init container only',
      pod: pod('Always', [init1, init2]),
      status: status([], []),
      want: { killPod: true, createSandbox: true, attempt: 0, next: 'init1', start: [], kill: [] },
    },
    {
      name: 'everything running: nothing to do',
      pod: pod(),
      status: status([readySandbox], [container(web, 'running'), container(side, 'running')]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: undefined, start: [], kill: [] },
    },
    {
      name: 'the sandbox died: recreate it with the next attempt, restarting everything',
      pod: pod(),
      status: status(
        [{ ...readySandbox, ready: false }],
        [container(web, 'exited', 137), container(side, 'exited', 137)],
      ),
      want: { killPod: true, createSandbox: true, attempt: 1, next: undefined, start: [0, 1], kill: [] },
    },
    {
      name: 'the sandbox has no IP (network lost): recreate it',
      pod: pod(),
      status: status([{ ...readySandbox, ips: [] }], [container(web, 'running'), container(side, 'running')]),
      want: { killPod: true, createSandbox: true, attempt: 1, next: undefined, start: [0, 1], kill: [] },
    },
    {
      name: 'restartPolicy Never and the sandbox died after running: leave it down',
      pod: pod('Never'),
      status: status([{ ...readySandbox, ready: false }], [container(web, 'exited', 0), container(side, 'exited', 1)]),
      want: { killPod: true, createSandbox: false, attempt: 1, next: undefined, start: [], kill: [] },
    },
    {
      name: 'OnFailure with a dead sandbox restarts only the containers that did not succeed',
      pod: pod('OnFailure'),
      status: status([{ ...readySandbox, ready: false }], [container(web, 'exited', 0), container(side, 'exited', 2)]),
      want: { killPod: true, createSandbox: true, attempt: 1, next: undefined, start: [1], kill: [] },
    },
    {
      name: 'Always: an exited container restarts, the other keeps running',
      pod: pod('Always'),
      status: status([readySandbox], [container(web, 'exited', 0), container(side, 'running')]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: undefined, start: [0], kill: [] },
    },
    {
      name: 'OnFailure: a succeeded container stays down, a failed one restarts',
      pod: pod('OnFailure'),
      status: status([readySandbox], [container(web, 'exited', 0), container(side, 'exited', 1)]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: undefined, start: [1], kill: [] },
    },
    {
      name: 'Never: all exited means the pod is done and its sandbox is killed',
      pod: pod('Never'),
      status: status([readySandbox], [container(web, 'exited', 0), container(side, 'exited', 1)]),
      want: { killPod: true, createSandbox: false, attempt: 0, next: undefined, start: [], kill: [] },
    },
    {
      name: 'a changed spec restarts the container',
      pod: pod(),
      status: status([readySandbox], [container(web, 'running', 0, { hash: 'old' }), container(side, 'running')]),
      want: {
        killPod: false,
        createSandbox: false,
        attempt: 0,
        next: undefined,
        start: [0],
        kill: ['Container web definition changed, will be restarted'],
      },
    },
    {
      name: 'init containers: the second runs after the first succeeded',
      pod: pod('Always', [init1, init2]),
      status: status([readySandbox], [container(init1, 'exited', 0)]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: 'init2', start: [], kill: [] },
    },
    {
      name: 'init containers: wait while one runs',
      pod: pod('Always', [init1, init2]),
      status: status([readySandbox], [container(init1, 'running')]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: undefined, start: [], kill: [] },
    },
    {
      name: 'init containers: a failed one is retried under Always',
      pod: pod('Always', [init1, init2]),
      status: status([readySandbox], [container(init1, 'exited', 1)]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: 'init1', start: [], kill: [] },
    },
    {
      name: 'init containers: a failed one kills the pod under Never',
      pod: pod('Never', [init1, init2]),
      status: status([readySandbox], [container(init1, 'exited', 1)]),
      want: { killPod: true, createSandbox: false, attempt: 0, next: undefined, start: [], kill: [] },
    },
    {
      name: 'init containers done: the app containers start',
      pod: pod('Always', [init1, init2]),
      status: status([readySandbox], [container(init1, 'exited', 0), container(init2, 'exited', 0)]),
      want: { killPod: false, createSandbox: false, attempt: 0, next: undefined, start: [0, 1], kill: [] },
    },
  ])('$name', ({ pod: p, status: s, want }) => {
    expect(summary(computePodActions(p, s))).toEqual(want);
  });

  it('kills and restarts a container whose liveness probe failed', () => {
    const running = container(web, 'running');
    const actions = computePodActions(pod(), status([readySandbox], [running, container(side, 'running')]), {
      livenessFailed: (id) => id === running.id,
      startupFailed: () => false,
    });
    expect(actions.containersToStart).toEqual([0]);
    expect(actions.containersToKill.get(running.id)).toMatchObject({
      message: 'Container web failed liveness probe, will be restarted',
      reason: 'LivenessProbe',
    });
    expect(actions.killPod).toBe(false);
  });

  it('does not restart a container whose liveness failed under Never, and kills the pod when nothing is left', () => {
    const running = container(web, 'running');
    const actions = computePodActions(pod('Never'), status([readySandbox], [running, container(side, 'exited', 0)]), {
      livenessFailed: () => true,
      startupFailed: () => false,
    });
    expect(actions.containersToStart).toEqual([]);
    expect([...actions.containersToKill.keys()]).toEqual([running.id]);
    expect(actions.killPod).toBe(true);
  });

  it('starts nothing for a pod being deleted', () => {
    const deleting = { ...pod(), metadata: { ...pod().metadata, deletionTimestamp: '2025-01-01T00:00:00Z' } };
    const actions = computePodActions(deleting, status([readySandbox], [container(web, 'exited', 1)]));
    expect(actions.containersToStart).toEqual([]);
    expect(actions.killPod).toBe(true);
  });
});

describe('findNextInitContainerToRun', () => {
  it('is done once an app container exists', () => {
    expect(
      findNextInitContainerToRun(pod('Always', [init1]), status([readySandbox], [container(web, 'running')])).done,
    ).toBe(true);
  });
});
