/**
 * A Pod as the scheduler reads it (PodInfo): its effective requests, the same with kube's
 * defaults for containers that ask for nothing (for scoring only), and its host ports.
 * Computed once per pod, so Filter and Score never parse a quantity.
 *
 * Effective requests follow resource.PodRequests: app containers and restartable init
 * containers (sidecars) run together and are summed; each ordinary init container runs
 * alone beside the sidecars started before it; the pod needs the larger of the two, plus
 * its overhead. Pod-level requests (spec.resources), where given, replace the cpu and memory sums.
 */
import type { Pod } from '@tkube/api';
import type { HostPort, PodInfo, Resources } from '../framework/types.js';
import { addResources, copyResources, emptyResources, resourcesOf } from '../resources.js';
import type { Container } from './api-types.js';

/** schedutil.DefaultMilliCPURequest: 0.1 core for a container that requests no cpu. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** schedutil.DefaultMemoryRequest: 200 MiB for a container that requests no memory. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';
export const DEFAULT_PROTOCOL = 'TCP';

function max(into: Resources, other: Resources): void {
  into.milliCpu = Math.max(into.milliCpu, other.milliCpu);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const name of Object.keys(other.scalar))
    into.scalar[name] = Math.max(into.scalar[name] ?? 0, other.scalar[name]);
}

function containerRequests(container: Container, nonZero: boolean): Resources {
  const list: Readonly<Record<string, string | number>> | undefined = container.resources?.requests;
  const requests = resourcesOf(list);
  if (nonZero) {
    // Only a missing request takes the default; an explicit "0" stays 0.
    if (list?.cpu === undefined) requests.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
    if (list?.memory === undefined) requests.memory = DEFAULT_MEMORY_REQUEST;
  }
  return requests;
}

function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/** resource.PodRequests, with kube's non-zero defaults per container when `nonZero`. */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const total = emptyResources();
  for (const container of spec?.containers ?? []) addResources(total, containerRequests(container, nonZero));

  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const container of spec?.initContainers ?? []) {
    const requests = containerRequests(container, nonZero);
    if (isSidecar(container)) {
      addResources(total, requests);
      addResources(sidecars, requests);
      max(initPeak, sidecars);
    } else {
      const alongside = copyResources(requests);
      addResources(alongside, sidecars);
      max(initPeak, alongside);
    }
  }
  max(total, initPeak);

  const podLevel = resourcesOf(spec?.resources?.requests);
  if (spec?.resources?.requests?.cpu !== undefined) total.milliCpu = podLevel.milliCpu;
  if (spec?.resources?.requests?.memory !== undefined) total.memory = podLevel.memory;

  if (spec?.overhead) addResources(total, resourcesOf(spec.overhead));
  return total;
}

/** The host ports the pod asks for: containers and sidecars, hostPort > 0, defaults filled in. */
export function hostPortsOf(pod: Pod): HostPort[] {
  const ports: HostPort[] = [];
  const collect = (container: Container) => {
    for (const port of container.ports ?? []) {
      if (!port.hostPort || port.hostPort <= 0) continue;
      ports.push({
        hostIP: port.hostIP || DEFAULT_BIND_ALL_HOST_IP,
        protocol: port.protocol || DEFAULT_PROTOCOL,
        port: port.hostPort,
      });
    }
  };
  for (const container of pod.spec?.containers ?? []) collect(container);
  for (const container of pod.spec?.initContainers ?? []) if (isSidecar(container)) collect(container);
  return ports;
}

export function podInfoOf(pod: Pod): PodInfo {
  return {
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, true),
    hostPorts: hostPortsOf(pod),
  };
}
