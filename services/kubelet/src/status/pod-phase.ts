/**
 * The pod's phase from its container statuses: kube's getPhase (pkg/kubelet/kubelet_pods.go)
 * for regular (not sidecar) init containers.
 */
import type { Pod } from '@tkube/api';
import type { ContainerStatus } from './container-statuses.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export function podPhase(
  pod: Pod,
  statuses: ContainerStatus[],
  initStatuses: ContainerStatus[],
  podIsTerminal = false,
): PodPhase {
  const spec = pod.spec ?? { containers: [] };
  const restartPolicy = spec.restartPolicy ?? 'Always';
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const container of spec.initContainers ?? []) {
    const status = initStatuses.find((s) => s.name === container.name);
    if (!status) {
      pendingInitialization++;
      continue;
    }
    if (status.state?.running) pendingInitialization++;
    else if (status.state?.terminated) {
      if (status.state.terminated.exitCode !== 0) failedInitialization++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) {
        if (status.lastState.terminated.exitCode !== 0) failedInitialization++;
      } else pendingInitialization++;
    } else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const container of spec.containers) {
    const status = statuses.find((s) => s.name === container.name);
    if (!status) {
      unknown++;
      continue;
    }
    if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.state?.waiting) {
      if (status.lastState?.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }

  if (failedInitialization > 0 && restartPolicy === 'Never') return 'Failed';
  if (pendingInitialization > 0 || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running > 0 && unknown > 0) return 'Pending';
  if (stopped === spec.containers.length) {
    if (podIsTerminal) return succeeded === spec.containers.length ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (succeeded === stopped) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}
