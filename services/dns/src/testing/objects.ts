/** Services and EndpointSlices as the apiserver and the endpoints controller write them, for tests. */
import type { EndpointSlice, Service } from '@tkube/api';

export function clusterIPService(namespace: string, name: string, clusterIP: string, ports: PortSpec[] = []): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name },
    spec: { type: 'ClusterIP', clusterIP, clusterIPs: [clusterIP], ports: ports.map(servicePort) },
  };
}

export function headlessService(namespace: string, name: string, ports: PortSpec[] = []): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name },
    spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: ports.map(servicePort) },
  };
}

export interface PortSpec {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  targetPort?: number;
}

function servicePort(port: PortSpec) {
  return {
    ...(port.name ? { name: port.name } : {}),
    port: port.port,
    protocol: port.protocol ?? 'TCP',
    targetPort: port.targetPort ?? port.port,
  };
}

export interface EndpointSpec {
  ip: string;
  ready?: boolean;
  hostname?: string;
  pod?: string;
}

export function endpointSlice(
  namespace: string,
  service: string,
  name: string,
  endpoints: EndpointSpec[],
  ports: PortSpec[] = [],
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { namespace, name, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace, name: e.pod } } : {}),
    })),
    ports: ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP' })),
  };
}
