/**
 * The cluster's DNS records, computed from Services and EndpointSlices (kube's DNS
 * specification, schema 1.1.0):
 *
 * - `<svc>.<ns>.svc.<zone>` A/AAAA: the ClusterIPs; for a headless Service the addresses of
 *   its ready endpoints; for an ExternalName Service a CNAME to the external name.
 * - `<host>.<svc>.<ns>.svc.<zone>` A/AAAA (headless): the endpoint whose hostname, pod name
 *   or dashed address is `<host>`.
 * - `_<port>._<proto>.<svc>.<ns>.svc.<zone>` SRV for named ports: the service name, or one
 *   record per ready endpoint of a headless Service, with their addresses as additionals.
 * - `<a-b-c-d>.<ns>.pod.<zone>` A: the address itself (CoreDNS' "pods insecure").
 * - PTR for ClusterIPs and headless endpoints; `dns-version.<zone>` TXT; SOA and NS at the apex.
 *
 * A name that exists with no record of the asked type (an existing service asked for AAAA,
 * or a name with names below it, such as `<ns>.svc.<zone>`) resolves to no answers;
 * a name that does not exist to NXDOMAIN. Names outside the zone (and reverse names of
 * unknown addresses) are not this server's to answer.
 *
 * Pure: fed with objects by the informers' handlers, asked by the responder; no I/O.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { EndpointSlice, Service, ServicePort } from '@tkube/api';
import type { Answer, SoaAnswer } from 'dns-packet';
import { type ClusterName, parseClusterName } from './cluster-name.js';
import { canonicalName, ipv4FromDashed, ipv4FromReverseName, labelsUnder } from './dns-name.js';
import { type DnsEndpoint, SERVICE_NAME_LABEL, serviceEndpoints } from './service-endpoints.js';

/** The version of kube's DNS specification these records follow. */
export const DNS_SCHEMA_VERSION = '1.1.0';

export interface RecordIndexOptions {
  /** The cluster domain, canonical ("cluster.local"). */
  zone: string;
  /** Seconds, for every record. */
  ttl: number;
  /** The server's own address, published as ns.dns.<zone>. */
  nameserver?: string;
  /** Seconds since the epoch: the SOA serial's start (injectable for tests). */
  now?: () => number;
}

export type Resolution =
  /** The name exists; `answers` may be empty (no record of that type). */
  | { kind: 'found'; answers: Answer[]; additionals: Answer[] }
  | { kind: 'nxdomain' }
  /** Outside the cluster domain: another server's to answer. */
  | { kind: 'not-authoritative' };

/** A record and the records a resolver will want next (the addresses of an SRV target). */
interface Entry {
  record: Answer;
  additionals?: Answer[];
}

const SOA_REFRESH_S = 7200;
const SOA_RETRY_S = 1800;
const SOA_EXPIRE_S = 86400;
/** SRV weights share this among the records of one name (RFC 2782: relative weights). */
const TOTAL_SRV_WEIGHT = 100;

export class RecordIndex {
  readonly zone: string;
  private readonly ttl: number;
  private readonly nameserver: string | undefined;
  private readonly services = new Map<string, Service>();
  /** Namespace -> names of its services: a namespace name exists while it holds one. */
  private readonly servicesByNamespace = new Map<string, Set<string>>();
  /** "ns/slice" -> the slice and the service key it was filed under. */
  private readonly slices = new Map<string, { slice: EndpointSlice; serviceKey: string }>();
  private readonly slicesByService = new Map<string, Set<string>>();
  /** Address -> PTR targets; built at the first reverse query after a change. */
  private reverse: Map<string, string[]> | undefined;
  private serial: number;

  constructor(options: RecordIndexOptions) {
    this.zone = canonicalName(options.zone);
    this.ttl = options.ttl;
    this.nameserver = options.nameserver;
    this.serial = Math.floor(options.now?.() ?? Date.now() / 1000) >>> 0;
  }

  setService(service: Service): void {
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    this.services.set(key(namespace, name), service);
    let names = this.servicesByNamespace.get(namespace);
    if (!names) this.servicesByNamespace.set(namespace, (names = new Set()));
    names.add(name);
    this.changed();
  }

  deleteService(service: Service): void {
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    this.services.delete(key(namespace, name));
    const names = this.servicesByNamespace.get(namespace);
    names?.delete(name);
    if (names?.size === 0) this.servicesByNamespace.delete(namespace);
    this.changed();
  }

  setEndpointSlice(slice: EndpointSlice): void {
    this.deleteEndpointSlice(slice);
    const namespace = slice.metadata?.namespace ?? '';
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service) return;
    const sliceKey = key(namespace, slice.metadata?.name ?? '');
    const serviceKey = key(namespace, service);
    this.slices.set(sliceKey, { slice, serviceKey });
    let keys = this.slicesByService.get(serviceKey);
    if (!keys) this.slicesByService.set(serviceKey, (keys = new Set()));
    keys.add(sliceKey);
    this.changed();
  }

  deleteEndpointSlice(slice: EndpointSlice): void {
    const sliceKey = key(slice.metadata?.namespace ?? '', slice.metadata?.name ?? '');
    const filed = this.slices.get(sliceKey);
    if (!filed) return;
    this.slices.delete(sliceKey);
    const keys = this.slicesByService.get(filed.serviceKey);
    keys?.delete(sliceKey);
    if (keys?.size === 0) this.slicesByService.delete(filed.serviceKey);
    this.changed();
  }

  /** The zone's SOA, for the authority section of negative answers. */
  soa(): SoaAnswer {
    return {
      type: 'SOA',
      name: this.zone,
      ttl: this.ttl,
      data: {
        mname: this.nameserverName(),
        rname: `hostmaster.${this.zone}`,
        serial: this.serial,
        refresh: SOA_REFRESH_S,
        retry: SOA_RETRY_S,
        expire: SOA_EXPIRE_S,
        minimum: this.ttl,
      },
    };
  }

  /** Answers `qname` (any case, with or without the final dot) for `type` ("A", "SRV", "ANY"...). */
  resolve(qname: string, type: string): Resolution {
    const owner = qname.replace(/\.$/, '');
    const name = canonicalName(qname);
    const labels = labelsUnder(name, this.zone);
    const entries =
      labels === undefined ? this.reverseEntries(owner, name) : this.entriesAt(parseClusterName(labels), owner);
    if (entries === 'not-authoritative') return { kind: 'not-authoritative' };
    if (entries === undefined) return { kind: 'nxdomain' };
    const kept = ofType(entries, type);
    return {
      kind: 'found',
      answers: kept.map((entry) => entry.record),
      additionals: dedupe(kept.flatMap((entry) => entry.additionals ?? [])),
    };
  }

  private entriesAt(target: ClusterName, owner: string): Entry[] | undefined {
    switch (target.kind) {
      case 'apex':
        return [
          { record: { ...this.soa(), name: owner } },
          {
            record: { type: 'NS', name: owner, ttl: this.ttl, data: this.nameserverName() },
            additionals: this.nameserverAddresses(this.nameserverName()),
          },
        ];
      case 'dns-version':
        return [{ record: { type: 'TXT', name: owner, ttl: this.ttl, data: [DNS_SCHEMA_VERSION] } }];
      case 'nameserver':
        return this.nameserverAddresses(owner).map((record) => ({ record }));
      case 'branch':
      case 'pod-namespace':
        return [];
      case 'namespace':
        return this.servicesByNamespace.has(target.namespace) ? [] : undefined;
      case 'service':
        return this.serviceEntries(target.namespace, target.service, owner);
      case 'endpoint':
        return this.endpointEntries(target.namespace, target.service, target.hostname, owner);
      case 'protocol': {
        const service = this.services.get(key(target.namespace, target.service));
        const ports = service?.spec?.ports ?? [];
        return ports.some((p) => p.name && protocolOf(p) === target.protocol) ? [] : undefined;
      }
      case 'srv':
        return this.srvEntries(target.namespace, target.service, target.port, target.protocol, owner);
      case 'pod': {
        const ip = ipv4FromDashed(target.dashedIp);
        return ip === undefined ? undefined : [{ record: addressRecord(owner, ip, this.ttl) }];
      }
      case 'none':
        return undefined;
    }
  }

  private serviceEntries(namespace: string, name: string, owner: string): Entry[] | undefined {
    const service = this.services.get(key(namespace, name));
    if (!service) return undefined;
    if (service.spec?.type === 'ExternalName') {
      const external = canonicalName(service.spec.externalName ?? '');
      return external ? [{ record: { type: 'CNAME', name: owner, ttl: this.ttl, data: external } }] : [];
    }
    const addresses = isHeadless(service)
      ? this.endpointsOf(service).flatMap((endpoint) => endpoint.addresses)
      : clusterIPsOf(service);
    return addresses.map((ip) => ({ record: addressRecord(owner, ip, this.ttl) }));
  }

  private endpointEntries(namespace: string, name: string, hostname: string, owner: string): Entry[] | undefined {
    const service = this.services.get(key(namespace, name));
    if (!service || !isHeadless(service)) return undefined;
    const matching = this.endpointsOf(service).filter((endpoint) => endpoint.names.has(hostname));
    if (matching.length === 0) return undefined;
    return matching.flatMap((endpoint) =>
      endpoint.addresses.map((ip) => ({ record: addressRecord(owner, ip, this.ttl) })),
    );
  }

  private srvEntries(
    namespace: string,
    name: string,
    portName: string,
    protocol: string,
    owner: string,
  ): Entry[] | undefined {
    const service = this.services.get(key(namespace, name));
    const port = service?.spec?.ports?.find((p) => p.name?.toLowerCase() === portName && protocolOf(p) === protocol);
    if (!service || !port) return undefined;
    const serviceName = `${name}.${namespace}.svc.${this.zone}`;
    const targets: { target: string; port: number; addresses: Answer[] }[] = [];
    if (service.spec?.type === 'ExternalName') {
      const external = canonicalName(service.spec.externalName ?? '');
      if (external) targets.push({ target: external, port: port.port, addresses: [] });
    } else if (!isHeadless(service)) {
      const addresses = clusterIPsOf(service).map((ip) => addressRecord(serviceName, ip, this.ttl));
      targets.push({ target: serviceName, port: port.port, addresses });
    } else {
      for (const endpoint of this.endpointsOf(service)) {
        const target = `${endpoint.label}.${serviceName}`;
        targets.push({
          target,
          port: endpointPort(endpoint, portName, protocol) ?? numericTargetPort(port) ?? port.port,
          addresses: endpoint.addresses.map((ip) => addressRecord(target, ip, this.ttl)),
        });
      }
    }
    const weight = Math.max(1, Math.floor(TOTAL_SRV_WEIGHT / Math.max(1, targets.length)));
    return targets.map(({ target, port: number, addresses }) => ({
      record: { type: 'SRV', name: owner, ttl: this.ttl, data: { priority: 0, weight, port: number, target } },
      additionals: addresses,
    }));
  }

  /** PTR records for a reverse name of a known address; other reverse names, like other names, are not ours. */
  private reverseEntries(owner: string, name: string): Entry[] | 'not-authoritative' {
    const ip = ipv4FromReverseName(name);
    const targets = ip === undefined ? undefined : this.reverseMap().get(ip);
    if (!targets) return 'not-authoritative';
    return targets.map((target) => ({ record: { type: 'PTR', name: owner, ttl: this.ttl, data: target } }));
  }

  private reverseMap(): Map<string, string[]> {
    if (this.reverse) return this.reverse;
    const reverse = new Map<string, string[]>();
    const add = (ip: string, target: string) => {
      const targets = reverse.get(ip);
      if (targets) targets.push(target);
      else reverse.set(ip, [target]);
    };
    for (const service of this.services.values()) {
      const serviceName = `${service.metadata?.name}.${service.metadata?.namespace}.svc.${this.zone}`;
      if (!isHeadless(service)) {
        for (const ip of clusterIPsOf(service)) add(ip, serviceName);
        continue;
      }
      for (const endpoint of this.endpointsOf(service)) {
        for (const ip of endpoint.addresses) add(ip, `${endpoint.label}.${serviceName}`);
      }
    }
    this.reverse = reverse;
    return reverse;
  }

  private endpointsOf(service: Service): DnsEndpoint[] {
    const serviceKey = key(service.metadata?.namespace ?? '', service.metadata?.name ?? '');
    const slices: EndpointSlice[] = [];
    for (const sliceKey of this.slicesByService.get(serviceKey) ?? []) {
      const filed = this.slices.get(sliceKey);
      if (filed) slices.push(filed.slice);
    }
    // A stable order, whatever order the slices arrived in.
    slices.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    return serviceEndpoints(service, slices);
  }

  private nameserverName(): string {
    return `ns.dns.${this.zone}`;
  }

  private nameserverAddresses(owner: string): Answer[] {
    return this.nameserver === undefined ? [] : [addressRecord(owner, this.nameserver, this.ttl)];
  }

  private changed(): void {
    this.reverse = undefined;
    // Secondaries would compare serials; it also tells a reader of a negative answer that the zone moved.
    this.serial = (this.serial + 1) >>> 0;
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`.toLowerCase();
}

function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === 'None';
}

function clusterIPsOf(service: Service): string[] {
  const ips = service.spec?.clusterIPs?.length ? service.spec.clusterIPs : [service.spec?.clusterIP ?? ''];
  return ips.filter((ip) => isIPv4(ip) || isIPv6(ip));
}

function protocolOf(port: ServicePort): string {
  return (port.protocol ?? 'TCP').toLowerCase();
}

function endpointPort(endpoint: DnsEndpoint, name: string, protocol: string): number | undefined {
  return endpoint.ports.find((p) => p.name === name && p.protocol === protocol)?.port;
}

function numericTargetPort(port: ServicePort): number | undefined {
  return typeof port.targetPort === 'number' ? port.targetPort : undefined;
}

function addressRecord(name: string, ip: string, ttl: number): Answer {
  return isIPv6(ip) ? { type: 'AAAA', name, ttl, data: ip } : { type: 'A', name, ttl, data: ip };
}

/** The records a query of `type` gets: all for ANY; a CNAME answers every type, as the name is an alias. */
function ofType(entries: Entry[], type: string): Entry[] {
  if (type === 'ANY') return entries;
  const alias = entries.filter((entry) => entry.record.type === 'CNAME');
  if (alias.length > 0) return alias;
  return entries.filter((entry) => entry.record.type === type);
}

function dedupe(records: Answer[]): Answer[] {
  const seen = new Set<string>();
  return records.filter((record) => {
    const id = `${record.name}|${record.type}|${JSON.stringify('data' in record ? record.data : '')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
