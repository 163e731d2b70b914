/**
 * Defaults only a Pod gets, not a pod template (SetDefaults_Pod), plus what kube-apiserver's
 * pod strategy and Priority admission fill on create: requests default to limits,
 * enableServiceLinks, host ports under hostNetwork, priority 0 without a priority class, and
 * a negative grace period raised to 1.
 */
import type { Container, Pod } from '../types.js';
import { defaultPodSpec } from './pod-spec.js';

function defaultRequestsFromLimits(containers: Container[] | undefined): void {
  for (const container of containers ?? []) {
    const limits = container.resources?.limits;
    if (!limits || !container.resources) continue;
    const requests = (container.resources.requests ??= {});
    for (const [name, value] of Object.entries(limits)) if (!(name in requests)) requests[name] = value;
  }
}

function defaultHostPorts(containers: Container[] | undefined): void {
  for (const container of containers ?? []) {
    for (const port of container.ports ?? []) if (!port.hostPort) port.hostPort = port.containerPort;
  }
}

export function defaultPod(pod: Pod): void {
  const spec = (pod.spec ??= { containers: [] });
  defaultPodSpec(spec);
  defaultRequestsFromLimits(spec.containers);
  defaultRequestsFromLimits(spec.initContainers);
  spec.enableServiceLinks ??= true;
  if (spec.hostNetwork) {
    defaultHostPorts(spec.containers);
    defaultHostPorts(spec.initContainers);
  }
  if (!spec.priorityClassName) {
    spec.priority ??= 0;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
  }
  if (spec.terminationGracePeriodSeconds !== undefined && spec.terminationGracePeriodSeconds < 0) {
    spec.terminationGracePeriodSeconds = 1;
  }
}
