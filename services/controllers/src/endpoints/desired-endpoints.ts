/**
 * The Endpoints object a Service should have, computed from the pods it selects, the way
 * kube's endpoints controller does: ready pods in `addresses`, the others in
 * `notReadyAddresses`, and pods that expose the same resolved ports grouped into one
 * subset (apimachinery's RepackSubsets).
 */
import type { Endpoints, Pod, Service } from '@tkube/api';
import {
  isPodReady,
  podHostname,
  podReference,
  portSetKey,
  type ResolvedPort,
  resolvePorts,
  shouldPodBeInEndpoints,
} from './pod-endpoint.js';
import { selectorMatches } from './selected-pods.js';

type EndpointSubset = NonNullable<Endpoints['subsets']>[number];
type EndpointAddress = NonNullable<EndpointSubset['addresses']>[number];

/** Set on Endpoints the controller writes so the slice mirroring controller leaves them alone. */
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';

interface SubsetBuilder {
  ports: ResolvedPort[];
  ready: EndpointAddress[];
  notReady: EndpointAddress[];
}

export function desiredEndpoints(service: Service, pods: readonly Pod[]): Endpoints {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const headlessWithoutPorts = service.spec?.clusterIP === 'None' && (service.spec?.ports ?? []).length === 0;
  const subsets = new Map<string, SubsetBuilder>();
  for (const pod of pods) {
    if (!selectorMatches(service, pod) || !shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports = resolvePorts(service, pod);
    // A pod that serves none of the Service's ports is not an endpoint (kube skips it per port).
    if (ports.length === 0 && !headlessWithoutPorts) continue;
    const key = portSetKey(ports);
    let subset = subsets.get(key);
    if (!subset) {
      subset = { ports, ready: [], notReady: [] };
      subsets.set(key, subset);
    }
    const address = endpointAddress(service, pod);
    if (publishNotReady || isPodReady(pod)) subset.ready.push(address);
    else subset.notReady.push(address);
  }
  const name = service.metadata?.name ?? '';
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name,
      ...(service.metadata?.namespace ? { namespace: service.metadata.namespace } : {}),
      labels: { ...(service.metadata?.labels ?? {}), [SKIP_MIRROR_LABEL]: 'true' },
    },
    subsets: [...subsets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, subset]) => toSubset(subset)),
  };
}

function endpointAddress(service: Service, pod: Pod): EndpointAddress {
  const hostname = podHostname(service, pod);
  return {
    ip: pod.status?.podIP ?? '',
    ...(hostname ? { hostname } : {}),
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: podReference(pod),
  };
}

function toSubset(builder: SubsetBuilder): EndpointSubset {
  const byIp = (a: EndpointAddress, b: EndpointAddress) => a.ip.localeCompare(b.ip);
  return {
    ...(builder.ready.length > 0 ? { addresses: builder.ready.sort(byIp) } : {}),
    ...(builder.notReady.length > 0 ? { notReadyAddresses: builder.notReady.sort(byIp) } : {}),
    ...(builder.ports.length > 0 ? { ports: builder.ports } : {}),
  };
}
