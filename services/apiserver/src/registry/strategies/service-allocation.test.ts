import type { KubeObject } from '@tkube/api';
import { type Ipv4Cidr, parseCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { allocateServiceAddresses, type Random, staticBandSize } from './service-allocation.js';
import { DEFAULT_SERVICE_NODE_PORT_RANGE, dnsServiceIP, kubernetesServiceIP } from './service-ranges.js';

function cidr(text: string): Ipv4Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad CIDR ${text}`);
  return parsed;
}

function service(spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }], ...spec } };
}

/** Always the lowest value offered: the worst case for the addresses kept at the bottom. */
const lowest: Random = (min) => min;

/** Allocates dynamic ClusterIPs in `range` until it is full; returns them in order. */
function fill(range: Ipv4Cidr, random: Random): string[] {
  const stored: KubeObject[] = [];
  for (let i = 0; i < 64; i++) {
    const next = service();
    const causes = allocateServiceAddresses(
      next,
      stored,
      { clusterIPRange: range, nodePortRange: DEFAULT_SERVICE_NODE_PORT_RANGE },
      random,
    );
    if (causes.length > 0) {
      expect(causes[0]?.message).toBe('Internal error: range is full');
      break;
    }
    stored.push(next);
  }
  return stored.map((s) => (s.spec as { clusterIP: string }).clusterIP);
}

describe('allocateServiceAddresses', () => {
  it('keeps a static band of min(max(16, size/16), 256) low addresses, as kube does', () => {
    expect(staticBandSize(cidr('10.96.0.0/12'))).toBe(256);
    expect(staticBandSize(cidr('10.97.16.0/20'))).toBe(256);
    expect(staticBandSize(cidr('10.97.16.0/22'))).toBe(64);
    expect(staticBandSize(cidr('192.168.50.0/24'))).toBe(16);
    expect(staticBandSize(cidr('192.168.50.0/28'))).toBe(16);
  });

  it('never picks the kubernetes (first) or DNS (tenth) address, even once the rest of a /28 is full', () => {
    const range = cidr('172.20.0.16/28');
    expect(kubernetesServiceIP(range)).toBe('172.20.0.17');
    expect(dnsServiceIP(range)).toBe('172.20.0.26');
    const given = fill(range, lowest);
    // 14 host addresses, less the two kept ones.
    expect(given).toHaveLength(12);
    expect(given).not.toContain('172.20.0.17');
    expect(given).not.toContain('172.20.0.26');
    expect(given).not.toContain('172.20.0.16');
    expect(given).not.toContain('172.20.0.31');
  });

  it('picks above the static band of a /24 first, then inside it, never the kept addresses', () => {
    const given = fill(cidr('192.168.50.0/24'), lowest).slice(0, 3);
    expect(given).toEqual(['192.168.50.16', '192.168.50.17', '192.168.50.18']);
    const range = cidr('192.168.50.0/24');
    const stored: KubeObject[] = [];
    // Every address above the band taken: the next ones come from the band, skipping .1 and .10.
    for (let offset = 16; offset <= 254; offset++) stored.push(service({ clusterIP: `192.168.50.${offset}` }));
    const picked: string[] = [];
    for (let i = 0; i < 13; i++) {
      const next = service();
      expect(
        allocateServiceAddresses(
          next,
          [...stored],
          { clusterIPRange: range, nodePortRange: DEFAULT_SERVICE_NODE_PORT_RANGE },
          lowest,
        ),
      ).toEqual([]);
      stored.push(next);
      picked.push((next.spec as { clusterIP: string }).clusterIP);
    }
    expect(picked).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15].map((o) => `192.168.50.${o}`));
  });

  it('refuses the network and broadcast addresses of the configured range when asked for', () => {
    const ranges = { clusterIPRange: cidr('10.97.16.0/20'), nodePortRange: DEFAULT_SERVICE_NODE_PORT_RANGE };
    for (const ip of ['10.97.16.0', '10.97.31.255', '10.97.32.1', 'not-an-ip']) {
      const causes = allocateServiceAddresses(service({ clusterIP: ip }), [], ranges, lowest);
      expect(causes[0]?.message).toBe(
        `Invalid value: ${JSON.stringify(ip)}: provided IP is not in the valid range. The range of valid IPs is 10.97.16.0/20`,
      );
    }
    const first = service({ clusterIP: '10.97.16.1' });
    expect(allocateServiceAddresses(first, [], ranges, lowest)).toEqual([]);
    expect((first.spec as { clusterIPs: string[] }).clusterIPs).toEqual(['10.97.16.1']);
  });
});
