/**
 * Name arithmetic the records need: DNS names compare without case and without the
 * trailing dot, and IPv4 addresses have two name forms (10-244-0-5, 5.0.244.10.in-addr.arpa).
 */
import { isIPv4 } from 'node:net';

/** "Web.Default.SVC.cluster.local." -> "web.default.svc.cluster.local". */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** The labels in front of `zone` ("web.default.svc" for "web.default.svc.cluster.local"), or undefined outside it. */
export function labelsUnder(name: string, zone: string): string[] | undefined {
  if (name === zone) return [];
  if (!name.endsWith(`.${zone}`)) return undefined;
  return name.slice(0, -(zone.length + 1)).split('.');
}

/** "10-244-0-5" -> 10.244.0.5; undefined when the label is no such address. */
export function ipv4FromDashed(label: string): string | undefined {
  const ip = label.replaceAll('-', '.');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && isIPv4(ip) ? ip : undefined;
}

const REVERSE_V4_ZONE = 'in-addr.arpa';

/** 10.96.0.1 -> "1.0.96.10.in-addr.arpa". */
export function reverseNameOf(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.${REVERSE_V4_ZONE}`;
}

/** "1.0.96.10.in-addr.arpa" -> 10.96.0.1; undefined for any other name (partial or IPv6 reverse names). */
export function ipv4FromReverseName(name: string): string | undefined {
  const labels = labelsUnder(name, REVERSE_V4_ZONE);
  if (labels?.length !== 4) return undefined;
  const ip = labels.reverse().join('.');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(ip) && isIPv4(ip) ? ip : undefined;
}
