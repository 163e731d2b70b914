/**
 * What the endpoints controllers need to know about one pod: whether it belongs in a
 * Service's endpoints at all, whether it is ready, and which port each Service port
 * reaches on it (a named targetPort is looked up in the pod's own containers).
 */
import type { Pod, Service, ServicePort } from '@tkube/api';

/** A resolved port of a Service on one pod (the shape of both Endpoints and slice ports). */
export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * Terminal pods and pods without an IP never serve. Terminating pods serve only when the
 * caller includes them (slices always do; Endpoints only with publishNotReadyAddresses),
 * as kube's ShouldPodBeInEndpoints.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function isPodTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

/**
 * The container port a Service port reaches on this pod, as kube's podutil.FindPort: a
 * number is used as is (absent: the Service port itself); a name must match a container
 * port of the same protocol, otherwise undefined (the pod is left out of that port).
 */
export function findTargetPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  const protocol = servicePort.protocol ?? 'TCP';
  for (const container of pod.spec?.containers ?? []) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** Every Service port this pod can serve, resolved against it, in the Service's order. */
export function resolvePorts(service: Service, pod: Pod): ResolvedPort[] {
  const resolved: ResolvedPort[] = [];
  for (const servicePort of service.spec?.ports ?? []) {
    const port = findTargetPort(pod, servicePort);
    if (port === undefined) continue;
    resolved.push({
      ...(servicePort.name ? { name: servicePort.name } : {}),
      port,
      protocol: servicePort.protocol ?? 'TCP',
      ...(servicePort.appProtocol ? { appProtocol: servicePort.appProtocol } : {}),
    });
  }
  return resolved;
}

/** A stable text for a set of ports, used to group pods that expose the same ones. */
export function portSetKey(ports: readonly ResolvedPort[]): string {
  return ports
    .map((p) => `${p.name ?? ''}/${p.port}/${p.protocol}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',');
}

export function podReference(pod: Pod): { kind: string; namespace?: string; name?: string; uid?: string } {
  return {
    kind: 'Pod',
    ...(pod.metadata?.namespace ? { namespace: pod.metadata.namespace } : {}),
    ...(pod.metadata?.name ? { name: pod.metadata.name } : {}),
    ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
  };
}

/** The DNS hostname of a pod under a headless Service whose name is its subdomain. */
export function podHostname(service: Service, pod: Pod): string | undefined {
  const hostname = pod.spec?.hostname;
  if (hostname && pod.spec?.subdomain === service.metadata?.name) return hostname;
  return undefined;
}
