/**
 * The endpoints DNS publishes for a Service, read from its EndpointSlices (those labelled
 * kubernetes.io/service-name): the ready ones (a nil `ready` counts as ready, as the API
 * says), or all of them when the Service publishes not-ready addresses. An address that
 * two slices both hold (a slice being rewritten) is published once.
 */
import { isIP } from 'node:net';
import type { EndpointSlice, Service } from '@tkube/api';
import { isDNS1123Label } from '@tkube/api';
import { canonicalName } from './dns-name.js';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export interface SlicePort {
  /** Lower case; "" for the one unnamed port. */
  name: string;
  /** Lower case: "tcp", "udp", "sctp". */
  protocol: string;
  port: number;
}

export interface DnsEndpoint {
  /** The label naming it under its service (SRV targets, PTR): its hostname, else its pod's name, else its address dashed. */
  label: string;
  /** Every label a query may use for it: the above, the pod's name and the dashed addresses. */
  names: ReadonlySet<string>;
  addresses: readonly string[];
  /** Its slice's ports: for a headless service, where the pods listen. */
  ports: readonly SlicePort[];
}

export function serviceEndpoints(service: Service, slices: Iterable<EndpointSlice>): DnsEndpoint[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const seen = new Set<string>();
  const result: DnsEndpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') continue;
    const ports = slicePorts(slice);
    for (const endpoint of slice.endpoints ?? []) {
      if (!publishNotReady && endpoint.conditions?.ready === false) continue;
      const addresses = (endpoint.addresses ?? []).filter((address) => isIP(address) !== 0 && !seen.has(address));
      const first = addresses[0];
      if (first === undefined) continue;
      for (const address of addresses) seen.add(address);
      const hostname = endpoint.hostname ? canonicalName(endpoint.hostname) : undefined;
      const podName = podNameOf(endpoint.targetRef);
      const dashed = addresses.map(dashedAddress);
      const label = hostname ?? podName ?? dashedAddress(first);
      const names = new Set([label, ...(podName ? [podName] : []), ...dashed]);
      result.push({ label, names, addresses, ports });
    }
  }
  return result;
}

function slicePorts(slice: EndpointSlice): SlicePort[] {
  const ports: SlicePort[] = [];
  for (const port of slice.ports ?? []) {
    if (typeof port.port !== 'number') continue;
    ports.push({
      name: (port.name ?? '').toLowerCase(),
      protocol: (port.protocol ?? 'TCP').toLowerCase(),
      port: port.port,
    });
  }
  return ports;
}

/** A pod's name is a DNS subdomain; only one that is also a single label can name a host. */
function podNameOf(ref: { kind?: string; name?: string } | undefined): string | undefined {
  if (ref?.kind !== 'Pod' || !ref.name) return undefined;
  const name = canonicalName(ref.name);
  return isDNS1123Label(name) ? name : undefined;
}

/** 10.244.0.5 -> 10-244-0-5; fd00::5 -> fd00--5 (as CoreDNS writes endpoint names). */
function dashedAddress(address: string): string {
  return address.replace(/[.:]/g, '-');
}
