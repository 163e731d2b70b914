import { ContainerState, PodSandboxState } from '@tkube/api/cri';
import { describe, expect, it } from 'vitest';
import type { ContainerDetails } from './docker/engine.js';
import { containerLabels } from './labels.js';
import { containerOf, containerStatusOf, sandboxStateOf, verdictOf } from './status-mapping.js';

const ZERO = '0001-01-01T00:00:00Z';

function details(overrides: Partial<ContainerDetails>): ContainerDetails {
  return {
    id: 'c1',
    name: 'k8s_app',
    image: 'busybox:1.35',
    imageId: 'sha256:abc',
    labels: containerLabels({
      sandboxId: 'sb1',
      pod: { name: 'p', namespace: 'n', uid: 'u', attempt: 0 },
      metadata: { name: 'app', attempt: 4 },
      labels: {},
      annotations: { a: 'b' },
      logPath: '/logs/app/4.log',
    }),
    created: '2024-05-01T10:00:00.000000001Z',
    status: 'created',
    pid: 0,
    exitCode: 0,
    oomKilled: false,
    error: '',
    startedAt: ZERO,
    finishedAt: ZERO,
    tty: false,
    mounts: [{ source: '/data', destination: '/mnt', readWrite: false }],
    resolvConfPath: '',
    resources: { memory: 1024 },
    networkMode: 'container:sb1',
    ipcMode: 'container:sb1',
    pidMode: '',
    ...overrides,
  };
}

describe('container status', () => {
  it('reads created, running and finished containers', () => {
    expect(verdictOf(details({}))).toEqual({ state: ContainerState.CONTAINER_CREATED, reason: '' });
    expect(verdictOf(details({ status: 'running' })).state).toBe(ContainerState.CONTAINER_RUNNING);
    const finished = { status: 'exited' as const, finishedAt: '2024-05-01T10:00:05Z' };
    expect(verdictOf(details({ ...finished, exitCode: 0 }))).toEqual({
      state: ContainerState.CONTAINER_EXITED,
      reason: 'Completed',
    });
    expect(verdictOf(details({ ...finished, exitCode: 1 }))).toEqual({
      state: ContainerState.CONTAINER_EXITED,
      reason: 'Error',
    });
    expect(verdictOf(details({ ...finished, exitCode: 137, oomKilled: true }))).toEqual({
      state: ContainerState.CONTAINER_EXITED,
      reason: 'OOMKilled',
    });
  });

  it('calls a container that never ran but has an exit code ContainerCannotRun', () => {
    expect(verdictOf(details({ exitCode: 127, error: 'exec: "nope": not found' })).reason).toBe('ContainerCannotRun');
    expect(containerStatusOf(details({ exitCode: 127, error: 'exec: "nope": not found' })).message).toContain(
      'not found',
    );
  });

  it('gives times in nanoseconds, metadata, log path, mounts and annotations', () => {
    const status = containerStatusOf(
      details({
        status: 'exited',
        startedAt: '2024-05-01T10:00:01.5Z',
        finishedAt: '2024-05-01T10:00:02.000000007Z',
        exitCode: 2,
      }),
    );
    expect(status.createdAt).toBe(1714557600000000001n);
    expect(status.startedAt).toBe(1714557601500000000n);
    expect(status.finishedAt).toBe(1714557602000000007n);
    expect(status.exitCode).toBe(2);
    expect(status.metadata).toEqual({ name: 'app', attempt: 4 });
    expect(status.logPath).toBe('/logs/app/4.log');
    expect(status.imageRef).toBe('sha256:abc');
    expect(status.mounts[0]).toMatchObject({ containerPath: '/mnt', hostPath: '/data', readonly: true });
    expect(status.annotations).toEqual({ a: 'b' });
    expect(status.resources?.linux?.memoryLimitInBytes).toBe(1024n);
  });

  it('never reports a finish before the start (Docker does for instant exits)', () => {
    const status = containerStatusOf(
      details({
        status: 'exited',
        startedAt: '2024-05-01T10:00:01.000000500Z',
        finishedAt: '2024-05-01T10:00:01.000000100Z',
      }),
    );
    expect(status.finishedAt).toBe(status.startedAt);
  });

  it('lists a container with its sandbox id and state', () => {
    const row = containerOf({
      id: 'c1',
      image: 'busybox:1.35',
      imageId: 'sha256:abc',
      labels: details({}).labels,
      status: 'running',
      created: 1714557600,
    });
    expect(row).toMatchObject({
      podSandboxId: 'sb1',
      state: ContainerState.CONTAINER_RUNNING,
      createdAt: 1714557600000000000n,
    });
  });

  it('says a sandbox is ready only while its pause container runs', () => {
    expect(sandboxStateOf('running')).toBe(PodSandboxState.SANDBOX_READY);
    expect(sandboxStateOf('exited')).toBe(PodSandboxState.SANDBOX_NOTREADY);
    expect(sandboxStateOf('created')).toBe(PodSandboxState.SANDBOX_NOTREADY);
  });
});
