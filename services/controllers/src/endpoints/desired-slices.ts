/**
 * The EndpointSlices a Service should have: one per set of resolved ports (pods whose named
 * targetPorts resolve differently cannot share a slice), named `<service>-<hash of the
 * port set>` so the same pods always give the same slice and a resync writes nothing.
 * Terminating pods stay in slices with their conditions, as kube's slice controller does.
 */
import { createHash } from 'node:crypto';
import type { EndpointSlice, OwnerReference, Pod, Service } from '@tkube/api';
import {
  isPodReady,
  isPodTerminating,
  podHostname,
  podReference,
  portSetKey,
  type ResolvedPort,
  resolvePorts,
  shouldPodBeInEndpoints,
} from './pod-endpoint.js';
import { selectorMatches } from './selected-pods.js';

type Endpoint = NonNullable<EndpointSlice['endpoints']>[number];

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';

export function desiredEndpointSlices(service: Service, pods: readonly Pod[]): EndpointSlice[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: ResolvedPort[]; endpoints: Endpoint[] }>();
  for (const pod of pods) {
    if (!selectorMatches(service, pod) || !shouldPodBeInEndpoints(pod, true)) continue;
    const ports = resolvePorts(service, pod);
    if (ports.length === 0 && (service.spec?.ports ?? []).length > 0) continue;
    const key = portSetKey(ports);
    let group = groups.get(key);
    if (!group) {
      group = { ports, endpoints: [] };
      groups.set(key, group);
    }
    group.endpoints.push(sliceEndpoint(service, pod, publishNotReady));
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => slice(service, key, group.ports, group.endpoints));
}

/** The labels that mark a slice as this controller's, for the Service named `name`. */
export function sliceLabels(service: Service): Record<string, string> {
  return {
    ...(service.metadata?.labels ?? {}),
    [SERVICE_NAME_LABEL]: service.metadata?.name ?? '',
    [MANAGED_BY_LABEL]: CONTROLLER_NAME,
  };
}

export function serviceOwnerReference(service: Service): OwnerReference {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    name: service.metadata?.name ?? '',
    uid: service.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

function sliceEndpoint(service: Service, pod: Pod, publishNotReady: boolean): Endpoint {
  const serving = isPodReady(pod);
  const terminating = isPodTerminating(pod);
  const hostname = podHostname(service, pod);
  return {
    addresses: [pod.status?.podIP ?? ''],
    conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: podReference(pod),
  };
}

function slice(service: Service, portKey: string, ports: ResolvedPort[], endpoints: Endpoint[]): EndpointSlice {
  const hash = createHash('sha256').update(portKey).digest('hex').slice(0, 5);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service.metadata?.name ?? ''}-${hash}`,
      ...(service.metadata?.namespace ? { namespace: service.metadata.namespace } : {}),
      labels: sliceLabels(service),
      ownerReferences: [serviceOwnerReference(service)],
    },
    addressType: 'IPv4',
    endpoints: endpoints.sort((a, b) => (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '')),
    ports,
  };
}
