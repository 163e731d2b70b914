/**
 * The kubelet's admission of a new pod (kube's lifecycle predicate admit handler, the
 * resource part of GeneralPredicates): a pod that would take the node past its pods,
 * cpu or memory allocatable is rejected with kube's reason ("OutOfpods", "OutOfcpu",
 * "OutOfmemory") and message. A pod's request is the larger of its app containers' sum
 * and its largest init container.
 */
import type { Container, Pod } from '@tkube/api';
import { Quantity } from '@tkube/api';

export interface NodeCapacity {
  pods: number;
  /** Millicores. */
  cpuMilli: number;
  memoryBytes: number;
}

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

export function admitPod(pod: Pod, admitted: Pod[], capacity: NodeCapacity): AdmitResult {
  if (admitted.length + 1 > capacity.pods) {
    return reject('pods', 1, admitted.length, capacity.pods);
  }
  const wanted = podRequests(pod);
  const used = admitted
    .map(podRequests)
    .reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
  if (wanted.cpu > 0 && used.cpu + wanted.cpu > capacity.cpuMilli)
    return reject('cpu', wanted.cpu, used.cpu, capacity.cpuMilli);
  if (wanted.memory > 0 && used.memory + wanted.memory > capacity.memoryBytes) {
    return reject('memory', wanted.memory, used.memory, capacity.memoryBytes);
  }
  return { admit: true };
}

function reject(resource: string, requested: number, used: number, capacity: number): AdmitResult {
  return {
    admit: false,
    reason: `OutOf${resource}`,
    message: `Pod was rejected: Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  };
}

export function podRequests(pod: Pod): { cpu: number; memory: number } {
  const of = (c: Container) => {
    const requests = c.resources?.requests ?? {};
    return {
      cpu: requests.cpu !== undefined ? Number(Quantity.from(requests.cpu).milliValue()) : 0,
      memory: requests.memory !== undefined ? Number(Quantity.from(requests.memory).value()) : 0,
    };
  };
  const apps = (pod.spec?.containers ?? [])
    .map(of)
    .reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
  for (const init of (pod.spec?.initContainers ?? []).map(of)) {
    apps.cpu = Math.max(apps.cpu, init.cpu);
    apps.memory = Math.max(apps.memory, init.memory);
  }
  return apps;
}
