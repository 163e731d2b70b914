/**
 * The sandbox's IP addresses, read from its network namespace through /proc/<pid>/net
 * (which shows the namespace of that process): no nsenter, no spawn, cheap enough for every
 * PodSandboxStatus. The network plugin put them there; reading them back lets a restarted
 * kubelet learn a pod's IP from the runtime, as Kubernetes' kubelet does.
 */

import { readFile } from 'node:fs/promises';

/** Local IPv4 addresses in /proc/net/fib_trie ("|-- a.b.c.d" followed by "/32 host LOCAL"), loopback excluded. */
export function ipv4AddressesOf(fibTrie: string): string[] {
  const addresses = new Set<string>();
  let current: string | undefined;
  for (const raw of fibTrie.split('\n')) {
    const line = raw.trim();
    const leaf = /^\|-- (\d+\.\d+\.\d+\.\d+)$/.exec(line);
    if (leaf) {
      current = leaf[1];
      continue;
    }
    if (current && /^\/32 host LOCAL$/.test(line) && !current.startsWith('127.')) addresses.add(current);
    if (line.startsWith('+--')) current = undefined;
  }
  return [...addresses];
}

/** Global-scope IPv6 addresses in /proc/net/if_inet6, loopback excluded. */
export function ipv6AddressesOf(ifInet6: string): string[] {
  const addresses: string[] = [];
  for (const line of ifInet6.split('\n')) {
    const [hex, , , scope, , name] = line.trim().split(/\s+/);
    if (hex?.length !== 32 || scope !== '00' || name === 'lo') continue;
    const groups = hex.match(/.{4}/g) ?? [];
    addresses.push(compressIpv6(groups.map((group) => group.replace(/^0+(?=.)/, ''))));
  }
  return addresses;
}

function compressIpv6(groups: string[]): string {
  // The longest run of zero groups (two or more) becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < groups.length; ) {
    let end = start;
    while (end < groups.length && groups[end] === '0') end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end > start ? end : start + 1;
  }
  if (bestStart < 0) return groups.join(':');
  const head = groups.slice(0, bestStart).join(':');
  const tail = groups.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** IPv4 first, then IPv6; empty when the process is gone or has no address yet. */
export async function podIpsOf(pid: number): Promise<string[]> {
  if (pid <= 0) return [];
  const [fib, inet6] = await Promise.all([
    readFile(`/proc/${pid}/net/fib_trie`, 'utf8').catch(() => ''),
    readFile(`/proc/${pid}/net/if_inet6`, 'utf8').catch(() => ''),
  ]);
  return [...ipv4AddressesOf(fib), ...ipv6AddressesOf(inet6)];
}
