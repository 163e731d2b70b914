/**
 * What the rules are made of: one entry per port of each proxied Service, with the ready
 * endpoints its EndpointSlices list for that port (kube-proxy's ServicePort and Endpoint
 * maps). Pure: the Service and EndpointSlice objects in, sorted entries out.
 *
 * Proxied: ClusterIP, NodePort and LoadBalancer services with an IPv4 ClusterIP. Skipped:
 * ExternalName, headless (clusterIP None), IPv6. Endpoints: IPv4 slices, the slice port of
 * the same name and protocol, endpoints whose `ready` is not false (the API says an unset
 * condition means ready), each ip:port once.
 */
import type { EndpointSlice, Service } from '@tkube/api';
import { parseIpv4 } from '@tkube/process';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

export interface ServicePortInfo {
  /** kube's ServicePortName: `namespace/name:portName`, or `namespace/name` for an unnamed port. */
  readonly name: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort: number | undefined;
  /** Set when sessionAffinity is ClientIP: how long a client sticks to its endpoint. */
  readonly affinitySeconds: number | undefined;
  /** Ready endpoints, sorted by address and port. */
  readonly endpoints: readonly Endpoint[];
}

/** kube's default stickiness (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10_800;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const PROTOCOLS: ReadonlySet<string> = new Set<Protocol>(['TCP', 'UDP', 'SCTP']);

export function servicePortsOf(services: readonly Service[], slices: readonly EndpointSlice[]): ServicePortInfo[] {
  const slicesByService = new Map<string, EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (service === undefined || slice.addressType !== 'IPv4') continue;
    const key = `${slice.metadata?.namespace ?? ''}/${service}`;
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), slice]);
  }

  const out: ServicePortInfo[] = [];
  for (const service of services) {
    const spec = service.spec;
    const clusterIP = spec?.clusterIP ?? '';
    if (!spec || spec.type === 'ExternalName' || parseIpv4(clusterIP) === undefined) continue;
    const serviceName = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
    const affinitySeconds =
      spec.sessionAffinity === 'ClientIP'
        ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_AFFINITY_SECONDS)
        : undefined;
    for (const port of spec.ports ?? []) {
      const protocol = port.protocol ?? 'TCP';
      if (!PROTOCOLS.has(protocol)) continue;
      const portName = port.name ?? '';
      out.push({
        name: portName === '' ? serviceName : `${serviceName}:${portName}`,
        protocol: protocol as Protocol,
        clusterIP,
        port: port.port,
        nodePort: port.nodePort !== undefined && port.nodePort > 0 ? port.nodePort : undefined,
        affinitySeconds,
        endpoints: readyEndpoints(slicesByService.get(serviceName) ?? [], portName, protocol),
      });
    }
  }
  return out.sort((a, b) => compare(a.name, b.name) || compare(a.protocol, b.protocol));
}

function readyEndpoints(slices: readonly EndpointSlice[], portName: string, protocol: string): Endpoint[] {
  const seen = new Map<string, Endpoint>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
    if (port?.port === undefined) continue;
    for (const endpoint of slice.endpoints ?? []) {
      if (endpoint.conditions?.ready === false) continue;
      // Slices made by the controller carry one address; kube-proxy reads only the first.
      const ip = endpoint.addresses[0];
      if (ip === undefined || parseIpv4(ip) === undefined) continue;
      seen.set(`${ip}:${port.port}`, { ip, port: port.port });
    }
  }
  return [...seen.values()].sort((a, b) => (parseIpv4(a.ip) ?? 0) - (parseIpv4(b.ip) ?? 0) || a.port - b.port);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
