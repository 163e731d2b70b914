/**
 * ClusterIP and NodePort allocation for new Services, as kube-apiserver's service REST does
 * it: an address from the configured service range and node ports from the configured
 * node-port range (service-ranges.ts), picked at random among the free ones, or the
 * requested ones when they are free and in range (422 otherwise).
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

/** Assigns clusterIP/clusterIPs and node ports in place; returns causes for what cannot be had. */
export function allocateServiceAddresses(
  service: KubeObject,
  existing: KubeObject[],
  ranges: ServiceRanges = DEFAULT_SERVICE_RANGES,
  random: Random = randomInt,
): StatusCause[] {
  const spec = objectField(service, 'spec');
  if (!spec) return [];
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const causes: StatusCause[] = [];
  if (type !== 'ExternalName')
    causes.push(...allocateClusterIP(spec, ranges.clusterIPRange, usedClusterIPs(existing), random));
  if (type === 'NodePort' || type === 'LoadBalancer')
    causes.push(...allocateNodePorts(spec, ranges.nodePortRange, usedNodePorts(existing), random));
  return causes;
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
  const ports = Array.isArray(spec.ports) ? (spec.ports as Array<Record<string, unknown>>) : [];
  const causes: StatusCause[] = [];
  ports.forEach((port, i) => {
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
