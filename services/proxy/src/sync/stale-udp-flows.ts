/**
 * UDP has no connection end, so a conntrack entry keeps sending a client's datagrams to an
 * endpoint that is gone (a restarted DNS pod, say) until it times out. As kube-proxy does,
 * after the rules change the entries to removed endpoints are deleted, and so are the entries
 * of a removed service and of one that just got its first endpoint (made while it had none,
 * so never DNAT-ed).
 * Pure: the service ports before and after, the `conntrack` argument lists out.
 */
import type { ServicePortInfo } from '../rules/service-ports.js';

export function staleUdpFlows(before: readonly ServicePortInfo[], after: readonly ServicePortInfo[]): string[][] {
  const previous = new Map(before.filter((sp) => sp.protocol === 'UDP').map((sp) => [keyOf(sp), sp]));
  const out: string[][] = [];
  const kept = new Set(after.map(keyOf));
  for (const [key, old] of previous) {
    if (!kept.has(key) && old.endpoints.length > 0) out.push(['-D', '-p', 'udp', '--orig-dst', old.clusterIP]);
  }
  for (const sp of after) {
    if (sp.protocol !== 'UDP') continue;
    const old = previous.get(keyOf(sp));
    if (!old) continue;
    if (old.endpoints.length === 0 && sp.endpoints.length > 0) {
      out.push(['-D', '-p', 'udp', '--orig-dst', sp.clusterIP]);
      continue;
    }
    const current = new Set(sp.endpoints.map((ep) => ep.ip));
    for (const ip of new Set(old.endpoints.map((ep) => ep.ip))) {
      if (current.has(ip)) continue;
      out.push(['-D', '-p', 'udp', '--orig-dst', sp.clusterIP, '--dst-nat', ip]);
      if (sp.nodePort !== undefined) out.push(['-D', '-p', 'udp', '--dport', String(sp.nodePort), '--dst-nat', ip]);
    }
  }
  return out;
}

function keyOf(sp: ServicePortInfo): string {
  return `${sp.name}/${sp.protocol}/${sp.clusterIP}`;
}
