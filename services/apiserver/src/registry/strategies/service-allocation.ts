/**
 * ClusterIP and NodePort allocation for new Services, as kube-apiserver's service REST does
 * it: an address from the service range (10.96.0.0/12) and node ports from 30000-32767,
 * picked at random among the free ones, or the requested ones when they are free and in
 * range (422 otherwise).
 *
 * "Free" is read from the Services stored now. kube keeps allocation bitmaps in storage
 * instead; without them, two creates racing for the same *requested* address can both
 * succeed. Random picks from a million addresses make a clash of two dynamic ones unlikely.
 */
import { randomInt } from 'node:crypto';
import { fieldCause, type KubeObject, type StatusCause } from '@tkube/api';
import { objectField } from '../object-meta.js';

export const SERVICE_CIDR = { base: ipToNumber('10.96.0.0'), prefix: 12 };
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
/**
 * The low addresses are kept for Services that ask for a fixed one (the API's 10.96.0.1,
 * DNS's 10.96.0.10), as kube's ServiceIPStaticSubrange does: dynamic picks come from above.
 */
const STATIC_BAND = 256;
const RANDOM_TRIES = 64;

export type Random = (min: number, max: number) => number;

/** Assigns clusterIP/clusterIPs and node ports in place; returns causes for what cannot be had. */
export function allocateServiceAddresses(
  service: KubeObject,
  existing: KubeObject[],
  random: Random = randomInt,
): StatusCause[] {
  const spec = objectField(service, 'spec');
  if (!spec) return [];
  const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
  const causes: StatusCause[] = [];
  if (type !== 'ExternalName') causes.push(...allocateClusterIP(spec, usedClusterIPs(existing), random));
  if (type === 'NodePort' || type === 'LoadBalancer')
    causes.push(...allocateNodePorts(spec, usedNodePorts(existing), random));
  return causes;
}

function allocateClusterIP(spec: Record<string, unknown>, used: Set<number>, random: Random): StatusCause[] {
  const requested = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  if (requested === 'None') return [];
  const size = 2 ** (32 - SERVICE_CIDR.prefix);
  if (requested) {
    const value = ipToNumber(requested);
    const offset = value - SERVICE_CIDR.base;
    if (Number.isNaN(value) || offset <= 0 || offset >= size - 1) {
      return [invalidIP(requested, 'provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/12')];
    }
    if (used.has(value)) return [invalidIP(requested, 'provided IP is already allocated')];
    spec.clusterIPs = [requested];
    return [];
  }
  const offset =
    pickFree(STATIC_BAND, size - 2, (o) => used.has(SERVICE_CIDR.base + o), random) ??
    pickFree(1, STATIC_BAND - 1, (o) => used.has(SERVICE_CIDR.base + o), random);
  if (offset === undefined) {
    return [fieldCause('FieldValueInvalid', 'spec.clusterIPs', 'Internal error: range is full')];
  }
  const address = numberToIp(SERVICE_CIDR.base + offset);
  spec.clusterIP = address;
  spec.clusterIPs = [address];
  return [];
}

function allocateNodePorts(spec: Record<string, unknown>, used: Set<number>, random: Random): StatusCause[] {
  const ports = Array.isArray(spec.ports) ? (spec.ports as Array<Record<string, unknown>>) : [];
  const causes: StatusCause[] = [];
  ports.forEach((port, i) => {
    const requested = port.nodePort;
    if (typeof requested === 'number' && requested !== 0) {
      const field = `spec.ports[${i}].nodePort`;
      if (requested < NODE_PORT_RANGE.min || requested > NODE_PORT_RANGE.max) {
        causes.push(
          fieldCause(
            'FieldValueInvalid',
            field,
            `Invalid value: ${requested}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
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
    const picked = pickFree(NODE_PORT_RANGE.min, NODE_PORT_RANGE.max, (p) => used.has(p), random);
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
    if (typeof ip === 'string' && ip !== 'None' && ip !== '') used.add(ipToNumber(ip));
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

function ipToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return Number.NaN;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function numberToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
