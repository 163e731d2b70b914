/**
 * The status the kubelet reports for a pod (kube's generateAPIPodStatus): phase,
 * conditions, IPs, start time and container statuses from the runtime's view. A phase
 * once terminal never goes back (kube's status manager guards the same).
 */
import type { Pod, PodStatus } from '@tkube/api';
import type { PodRuntimeStatus } from '../runtime/pod-runtime-status.js';
import {
  type ContainerStatusInput,
  containerStatuses,
  type ProbeView,
  rfc3339,
  type StartFailure,
} from './container-statuses.js';
import { KUBELET_CONDITIONS, podConditions } from './pod-conditions.js';
import { isTerminalPhase, podPhase } from './pod-phase.js';

export interface GenerateInput {
  pod: Pod;
  runtime: PodRuntimeStatus;
  failures: ReadonlyMap<string, StartFailure>;
  probes: ProbeView;
  runtimeName: string;
  hostIps: string[];
  /** The pod is being torn down for good (deleted, or finished under Never/OnFailure). */
  podIsTerminal?: boolean;
  now: number;
}

export function generatePodStatus(input: GenerateInput): PodStatus {
  const { pod } = input;
  const old = pod.status ?? {};
  const base: Omit<ContainerStatusInput, 'previous'> = {
    pod,
    runtime: input.runtime,
    failures: input.failures,
    probes: input.probes,
    runtimeName: input.runtimeName,
  };
  const statuses = containerStatuses(
    { ...base, previous: old.containerStatuses ?? [] },
    pod.spec?.containers ?? [],
    false,
  );
  const initStatuses = containerStatuses(
    { ...base, previous: old.initContainerStatuses ?? [] },
    pod.spec?.initContainers ?? [],
    true,
  );
  let phase = podPhase(pod, statuses, initStatuses, input.podIsTerminal ?? false);
  if (isTerminalPhase(old.phase) && !isTerminalPhase(phase)) phase = old.phase as typeof phase;

  const sandbox = input.runtime.sandboxes[0];
  const sandboxReady = sandbox?.ready && sandbox.ips.length > 0;
  const podIps = sandbox?.ready ? sandbox.ips : [];
  const now = rfc3339(input.now);
  const status: PodStatus = {
    phase,
    conditions: podConditions({
      pod,
      phase,
      statuses,
      initStatuses,
      sandboxReady,
      previous: old.conditions ?? [],
      now,
    }),
    hostIP: input.hostIps[0],
    hostIPs: input.hostIps.map((ip) => ({ ip })),
    startTime: old.startTime ?? now,
    containerStatuses: statuses,
  };
  // A pod that stopped keeps the IP it had: kube reports the IP of the last sandbox.
  const ips = podIps.length > 0 ? podIps : isTerminalPhase(phase) ? (old.podIPs ?? []).map((p) => p.ip) : [];
  if (ips.length > 0) {
    status.podIP = ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
  // kube 1.35 (PodObservedGenerationTracking): the status says which spec it reflects.
  const generation = pod.metadata?.generation;
  if (generation !== undefined) {
    status.observedGeneration = generation;
    for (const condition of status.conditions ?? []) {
      if (KUBELET_CONDITIONS.includes(condition.type as (typeof KUBELET_CONDITIONS)[number])) {
        condition.observedGeneration = generation;
      }
    }
  }
  if (old.qosClass) status.qosClass = old.qosClass;
  if (old.message && isTerminalPhase(phase)) status.message = old.message;
  if (old.reason && isTerminalPhase(phase)) status.reason = old.reason;
  if (old.nominatedNodeName) status.nominatedNodeName = old.nominatedNodeName;
  return status;
}
