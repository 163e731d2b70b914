/**
 * What SyncPod must do to bring a pod's runtime state to its spec: kube's
 * computePodActions (pkg/kubelet/kuberuntime/kuberuntime_manager.go), pure. It decides
 * whether the sandbox must be (re)created, which init container runs next, which app
 * containers start and which running containers are killed (spec changed, liveness or
 * startup probe failed), and whether the whole pod is killed.
 */
import type { Container, Pod } from '@tkube/api';
import { hashContainer } from '../runtime/container-hash.js';
import { type ContainerRuntimeStatus, findContainer, type PodRuntimeStatus } from '../runtime/pod-runtime-status.js';

export interface ContainerToKill {
  container: Container;
  /** The message of the Killing event ("Container web failed liveness probe, will be restarted"). */
  message: string;
  /** "LivenessProbe", "StartupProbe" or "" (kube's kill reasons). */
  reason: string;
}

export interface PodActions {
  killPod: boolean;
  createSandbox: boolean;
  /** The sandbox to use when not recreating it. */
  sandboxId: string;
  /** The attempt number of the sandbox to create. */
  attempt: number;
  nextInitContainerToStart?: Container;
  /** Indexes into spec.containers. */
  containersToStart: number[];
  /** Running containers to kill, by container id. */
  containersToKill: Map<string, ContainerToKill>;
}

/** Probe verdicts for running containers, by container id. */
export interface ProbeVerdicts {
  livenessFailed(containerId: string): boolean;
  startupFailed(containerId: string): boolean;
}

export const NO_PROBE_FAILURES: ProbeVerdicts = { livenessFailed: () => false, startupFailed: () => false };

export function computePodActions(
  pod: Pod,
  status: PodRuntimeStatus,
  probes: ProbeVerdicts = NO_PROBE_FAILURES,
): PodActions {
  const spec = pod.spec ?? { containers: [] };
  const sandbox = sandboxChanged(status);
  const actions: PodActions = {
    killPod: sandbox.changed,
    createSandbox: sandbox.changed,
    sandboxId: sandbox.id,
    attempt: sandbox.attempt,
    containersToStart: [],
    containersToKill: new Map(),
  };

  if (sandbox.changed) {
    // A pod that must not restart and already ran keeps its sandbox down.
    if (!shouldRestartOnFailure(pod) && sandbox.attempt !== 0 && status.containers.length > 0) {
      actions.createSandbox = false;
      return actions;
    }
    const toStart: number[] = [];
    spec.containers.forEach((container, index) => {
      if (spec.restartPolicy === 'OnFailure' && containerSucceeded(container, status)) return;
      toStart.push(index);
    });
    if (toStart.length === 0 && findNextInitContainerToRun(pod, status).done) {
      // Every container succeeded: nothing to run again.
      actions.createSandbox = false;
      return actions;
    }
    const firstInit = spec.initContainers?.[0];
    if (firstInit) {
      actions.nextInitContainerToStart = firstInit;
      return actions;
    }
    actions.containersToStart = toStart;
    return actions;
  }

  if ((spec.initContainers ?? []).length > 0) {
    const next = findNextInitContainerToRun(pod, status);
    if (!next.done) {
      if (next.next) {
        const failed = next.lastStatus !== undefined && isInitContainerFailed(next.lastStatus);
        if (failed && !shouldRestartOnFailure(pod)) {
          actions.killPod = true;
        } else {
          if (next.lastStatus?.state === 'unknown') {
            actions.containersToKill.set(next.lastStatus.id, {
              container: next.next,
              message: `Init container is in "unknown" state, try killing it before restart`,
              reason: '',
            });
          }
          actions.nextInitContainerToStart = next.next;
        }
      }
      return actions;
    }
  }

  let keepCount = 0;
  spec.containers.forEach((container, index) => {
    const current = findContainer(status, container.name);
    if (current?.state !== 'running') {
      if (shouldContainerBeRestarted(container, pod, status)) {
        actions.containersToStart.push(index);
        if (current?.state === 'unknown') {
          actions.containersToKill.set(current.id, {
            container,
            message: `Container is in "unknown" state, try killing it before restart`,
            reason: '',
          });
        }
      }
      return;
    }
    let message: string;
    let reason = '';
    let restart = shouldRestartOnFailure(pod);
    if (current.hash !== '' && current.hash !== hashContainer(container)) {
      message = `Container ${container.name} definition changed`;
      restart = true;
    } else if (probes.livenessFailed(current.id)) {
      message = `Container ${container.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (probes.startupFailed(current.id)) {
      message = `Container ${container.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      message += ', will be restarted';
      actions.containersToStart.push(index);
    }
    actions.containersToKill.set(current.id, { container, message, reason });
  });

  if (keepCount === 0 && actions.containersToStart.length === 0) actions.killPod = true;
  return actions;
}

interface SandboxDecision {
  changed: boolean;
  attempt: number;
  id: string;
}

/** kube's podSandboxChanged: recreate when there is none, it is not ready, there are several, or it has no IP. */
export function sandboxChanged(status: PodRuntimeStatus): SandboxDecision {
  const newest = status.sandboxes[0];
  if (!newest) return { changed: true, attempt: 0, id: '' };
  const readyCount = status.sandboxes.filter((s) => s.ready).length;
  const next = newest.attempt + 1;
  if (readyCount > 1) return { changed: true, attempt: next, id: newest.id };
  if (!newest.ready) return { changed: true, attempt: next, id: newest.id };
  if (newest.ips.length === 0) return { changed: true, attempt: next, id: newest.id };
  return { changed: false, attempt: newest.attempt, id: newest.id };
}

export function shouldRestartOnFailure(pod: Pod): boolean {
  return (pod.spec?.restartPolicy ?? 'Always') !== 'Never';
}

function containerSucceeded(container: Container, status: PodRuntimeStatus): boolean {
  const current = findContainer(status, container.name);
  return current !== undefined && current.state === 'exited' && current.exitCode === 0;
}

/** kube's ShouldContainerBeRestarted. */
export function shouldContainerBeRestarted(container: Container, pod: Pod, status: PodRuntimeStatus): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const current = findContainer(status, container.name);
  if (!current) return true;
  if (current.state === 'running') return false;
  if (current.state === 'unknown' || current.state === 'created') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && current.exitCode === 0) return false;
  return true;
}

export function isInitContainerFailed(status: ContainerRuntimeStatus): boolean {
  if (status.state === 'exited' && status.exitCode !== 0) return true;
  return status.state === 'unknown';
}

export interface NextInitContainer {
  /** The status of the failed init container to restart, when one failed. */
  lastStatus?: ContainerRuntimeStatus;
  next?: Container;
  /** Every init container finished (or the app containers already run). */
  done: boolean;
}

/** kube's findNextInitContainerToRun. */
export function findNextInitContainerToRun(pod: Pod, status: PodRuntimeStatus): NextInitContainer {
  const inits = pod.spec?.initContainers ?? [];
  if (inits.length === 0) return { done: true };
  // Once any app container has run, initialization is over.
  for (const container of pod.spec?.containers ?? []) {
    if (findContainer(status, container.name)) return { done: true };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const init = inits[i] as Container;
    const current = findContainer(status, init.name);
    if (current && isInitContainerFailed(current)) return { lastStatus: current, next: init, done: false };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const init = inits[i] as Container;
    const current = findContainer(status, init.name);
    if (!current) continue;
    if (current.state === 'running') return { done: false };
    if (current.state === 'exited') {
      if (i === inits.length - 1) return { done: true };
      return { next: inits[i + 1], done: false };
    }
  }
  return { next: inits[0], done: false };
}
