/**
 * ClusterIP and NodePort allocation for Services, as kube-apiserver's service REST does
 * it: an address from the configured service range and node ports from the configured
 * node-port range (service-ranges.ts), picked at random among the free ones, or the
 * requested ones when they are free and in range (422 otherwise). On an update, what the
 * Service holds stays its own unless the request changes it, and what its new type has no
 * use for is dropped (kube's patchAllocatedValues and dropTypeDependentFields): a
 * ClusterIP Service turned NodePort gets node ports, one turned back loses them.
 *
 * "Free" is read from the Services stored now, so a deleted Service's addresses are free at
 * once and nothing can leak. kube keeps allocation bitmaps in storage instead; without them,
 * two creates racing for the same *requested* address can both succeed. Random picks from
 * thousands of addresses make a clash of two dynamic ones unlikely.
 */
import { randomInt } from 'node:crypto';
import { fieldCause, type KubeObject, type StatusCause } from '@tkube/api';
import { formatCidr, formatIpv4, type Ipv4Cidr, parseIpv4 } from '@tkube/process';
import { objectField } from '../object-meta.js';
import {
  DEFAULT_SERVICE_RANGES,
  DNS_SERVICE_OFFSET,
  formatPortRange,
  KUBERNETES_SERVICE_OFFSET,
  type PortRange,
  rangeSize,
  type ServiceRanges,
} from './service-ranges.js';

/** Addresses only ever given on request: the `kubernetes` Service's and DNS's. */
const RESERVED_OFFSETS = new Set([KUBERNETES_SERVICE_OFFSET, DNS_SERVICE_OFFSET]);
const RANDOM_TRIES = 64;

export type Random = (min: number, max: number) => number;

/**
 * The low addresses are kept for Services that ask for a fixed one, as kube's
 * ServiceIPStaticSubrange does (calculateRangeOffset): min(max(16, size/16), 256) addresses.
 * Dynamic picks come from above it, and from inside it only once the rest is full.
 */
export function staticBandSize(range: Ipv4Cidr): number {
  const size = rangeSize(range);
  if (size < 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 16)), 256);
}

/**
 * Assigns clusterIP/clusterIPs and node ports in place; returns causes for what cannot be
 * had. `old`: the stored Service this updates (it is among `existing`).
 */
export function allocateServiceAddresses(
  service: KubeObject,
  existing: KubeObject[],
  ranges: ServiceRanges = DEFAULT_SERVICE_RANGES,
  random: Random = randomInt,
  old?: KubeObject,
): StatusCause[] {
  const spec = objectField(service, 'spec');
  if (!spec) return [];
  const type = typeOf(spec);
  const others = old ? existing.filter((s) => s.metadata?.uid !== old.metadata?.uid) : existing;
  const causes: StatusCause[] = [];
  if (type !== 'ExternalName')
    causes.push(...allocateClusterIP(spec, ranges.clusterIPRange, usedClusterIPs(others), random));
  if (needsNodePorts(type))
    causes.push(...allocateNodePorts(spec, ranges.nodePortRange, usedNodePorts(others), random));
  return causes;
}

/**
 * Before an update is validated: what the request leaves out of what the Service holds
 * stays, and what its new type cannot use goes, unless the request changed it (kube's
 * patchAllocatedValues and dropTypeDependentFields).
 */
export function keepAllocated(service: KubeObject, old: KubeObject): void {
  const spec = objectField(service, 'spec');
  const oldSpec = objectField(old, 'spec');
  if (!spec || !oldSpec) return;
  const type = typeOf(spec);
  const oldType = typeOf(oldSpec);
  if (type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  } else if (oldType !== 'ExternalName' && !spec.clusterIP && typeof oldSpec.clusterIP === 'string') {
    spec.clusterIP = oldSpec.clusterIP;
    spec.clusterIPs = Array.isArray(oldSpec.clusterIPs) ? oldSpec.clusterIPs : [oldSpec.clusterIP];
  }
  const ports = portsOf(spec);
  if (!needsNodePorts(type)) {
    for (const port of ports) delete port.nodePort;
    for (const field of ['externalTrafficPolicy', 'healthCheckNodePort']) {
      if (spec[field] === oldSpec[field]) delete spec[field];
    }
    return;
  }
  if (!needsNodePorts(oldType)) return;
  const oldPorts = portsOf(oldSpec);
  for (const port of ports) {
    if (typeof port.nodePort === 'number' && port.nodePort !== 0) continue;
    const same = oldPorts.find((o) => o.port === port.port && (o.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (typeof same?.nodePort === 'number') port.nodePort = same.nodePort;
  }
}

function typeOf(spec: Record<string, unknown>): string {
  return typeof spec.type === 'string' ? spec.type : 'ClusterIP';
}

function needsNodePorts(type: string): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}

function portsOf(spec: Record<string, unknown>): Array<Record<string, unknown>> {
  return Array.isArray(spec.ports) ? (spec.ports as Array<Record<string, unknown>>) : [];
}

function allocateClusterIP(
  spec: Record<string, unknown>,
  range: Ipv4Cidr,
  used: Set<number>,
  random: Random,
): StatusCause[] {
  const requested = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  if (requested === 'None') return [];
  const size = rangeSize(range);
  if (requested) {
    const value = parseIpv4(requested);
    const offset = value === undefined ? -1 : value - range.network;
    // The network and broadcast addresses are not the range's to give.
    if (value === undefined || offset <= 0 || offset >= size - 1) {
      return [
        invalidIP(requested, `provided IP is not in the valid range. The range of valid IPs is ${formatCidr(range)}`),
      ];
    }
    if (used.has(value)) return [invalidIP(requested, 'provided IP is already allocated')];
    spec.clusterIPs = [requested];
    return [];
  }
  const taken = (offset: number) => RESERVED_OFFSETS.has(offset) || used.has(range.network + offset);
  const band = staticBandSize(range);
  const offset =
    pickFree(Math.max(band, 1), size - 2, taken, random) ?? pickFree(1, Math.min(band, size - 1) - 1, taken, random);
  if (offset === undefined) {
    return [fieldCause('FieldValueInvalid', 'spec.clusterIPs', 'Internal error: range is full')];
  }
  const address = formatIpv4(range.network + offset);
  spec.clusterIP = address;
  spec.clusterIPs = [address];
  return [];
}

function allocateNodePorts(
  spec: Record<string, unknown>,
  range: PortRange,
  used: Set<number>,
  random: Random,
): StatusCause[] {
  const causes: StatusCause[] = [];
  portsOf(spec).forEach((port, i) => {
    const requested = port.nodePort;
    if (typeof requested === 'number' && requested !== 0) {
      const field = `spec.ports[${i}].nodePort`;
      if (requested < range.min || requested > range.max) {
        causes.push(
          fieldCause(
            'FieldValueInvalid',
            field,
            `Invalid value: ${requested}: provided port is not in the valid range. The range of valid ports is ${formatPortRange(range)}`,
          ),
        );
      } else if (used.has(requested)) {
        causes.push(
          fieldCause('FieldValueInvalid', field, `Invalid value: ${requested}: provided port is already allocated`),
        );
      } else {
        used.add(requested);
      }
      return;
    }
    const picked = pickFree(range.min, range.max, (p) => used.has(p), random);
    if (picked === undefined) {
      causes.push(fieldCause('FieldValueInvalid', `spec.ports[${i}].nodePort`, 'Internal error: range is full'));
      return;
    }
    used.add(picked);
    port.nodePort = picked;
  });
  return causes;
}

/** A random free value in [min, max]: a few random tries, then a scan from a random start. */
function pickFree(min: number, max: number, taken: (value: number) => boolean, random: Random): number | undefined {
  if (max < min) return undefined;
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const value = random(min, max + 1);
    if (!taken(value)) return value;
  }
  const span = max - min + 1;
  const start = random(0, span);
  for (let i = 0; i < span; i++) {
    const value = min + ((start + i) % span);
    if (!taken(value)) return value;
  }
  return undefined;
}

function usedClusterIPs(services: KubeObject[]): Set<number> {
  const used = new Set<number>();
  for (const service of services) {
    const ip = objectField(service, 'spec')?.clusterIP;
    const value = typeof ip === 'string' ? parseIpv4(ip) : undefined;
    if (value !== undefined) used.add(value);
  }
  return used;
}

function usedNodePorts(services: KubeObject[]): Set<number> {
  const used = new Set<number>();
  for (const service of services) {
    const ports = objectField(service, 'spec')?.ports;
    if (!Array.isArray(ports)) continue;
    for (const port of ports as Array<Record<string, unknown>>) {
      if (typeof port.nodePort === 'number' && port.nodePort > 0) used.add(port.nodePort);
    }
  }
  return used;
}

function invalidIP(ip: string, why: string): StatusCause {
  return fieldCause('FieldValueInvalid', 'spec.clusterIPs[0]', `Invalid value: ${JSON.stringify(ip)}: ${why}`);
}
