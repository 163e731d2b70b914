/**
 * The kube-dns Service as clusters have it (labels k8s-app=kube-dns, ports dns 53/UDP and
 * dns-tcp 53/TCP), at the address this process serves on, with no selector: its endpoint
 * is this process, written here as an EndpointSlice and an Endpoints object, so that
 * kube-proxy's DNAT of <address>:53 leads back to the same address. The endpoints and
 * EndpointSlice controllers leave selector-less Services alone.
 */
import type { EndpointSlice, Endpoints, Service } from '@tkube/api';
import { SERVICE_NAME_LABEL } from '../records/service-endpoints.js';

export const KUBE_DNS_NAME = 'kube-dns';
export const DNS_PORT = 53;
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
/** Not the slice controller's name: it must not adopt or delete this slice. */
export const MANAGED_BY = 'tkube-dns';

export const KUBE_DNS_LABELS: Readonly<Record<string, string>> = {
  'k8s-app': 'kube-dns',
  'kubernetes.io/cluster-service': 'true',
  'kubernetes.io/name': 'KubeDNS',
};

export interface KubeDnsTarget {
  namespace: string;
  /** The ClusterIP and the endpoint address. */
  address: string;
  /** Where the server listens: the endpoints' port (53 but in tests). */
  port: number;
}

export function kubeDnsService(target: KubeDnsTarget): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: KUBE_DNS_NAME, namespace: target.namespace, labels: { ...KUBE_DNS_LABELS } },
    spec: {
      type: 'ClusterIP',
      clusterIP: target.address,
      clusterIPs: [target.address],
      ports: [
        { name: 'dns', port: DNS_PORT, protocol: 'UDP', targetPort: target.port },
        { name: 'dns-tcp', port: DNS_PORT, protocol: 'TCP', targetPort: target.port },
      ],
    },
  };
}

export function kubeDnsEndpointSlice(target: KubeDnsTarget, service: Service): EndpointSlice {
  const owner = service.metadata?.uid
    ? [
        {
          apiVersion: 'v1',
          kind: 'Service',
          name: KUBE_DNS_NAME,
          uid: service.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]
    : undefined;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: KUBE_DNS_NAME,
      namespace: target.namespace,
      labels: { ...KUBE_DNS_LABELS, [SERVICE_NAME_LABEL]: KUBE_DNS_NAME, [MANAGED_BY_LABEL]: MANAGED_BY },
      ...(owner ? { ownerReferences: owner } : {}),
    },
    addressType: 'IPv4',
    endpoints: [{ addresses: [target.address], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [
      { name: 'dns', port: target.port, protocol: 'UDP' },
      { name: 'dns-tcp', port: target.port, protocol: 'TCP' },
    ],
  };
}

export function kubeDnsEndpoints(target: KubeDnsTarget): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: KUBE_DNS_NAME, namespace: target.namespace, labels: { ...KUBE_DNS_LABELS } },
    subsets: [
      {
        addresses: [{ ip: target.address }],
        ports: [
          { name: 'dns', port: target.port, protocol: 'UDP' },
          { name: 'dns-tcp', port: target.port, protocol: 'TCP' },
        ],
      },
    ],
  };
}
