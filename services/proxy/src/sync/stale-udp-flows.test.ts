import { describe, expect, it } from 'vitest';
import type { ServicePortInfo } from '../rules/service-ports.js';
import { staleUdpFlows } from './stale-udp-flows.js';

const dns = (ips: string[], protocol: 'UDP' | 'TCP' = 'UDP', nodePort?: number): ServicePortInfo => ({
  name: 'kube-system/kube-dns:dns',
  protocol,
  clusterIP: '10.96.0.10',
  port: 53,
  nodePort,
  affinitySeconds: undefined,
  endpoints: ips.map((ip) => ({ ip, port: 53 })),
});

describe('staleUdpFlows', () => {
  it('deletes the flows to a removed UDP endpoint, on the ClusterIP and the NodePort', () => {
    expect(
      staleUdpFlows([dns(['10.244.0.5', '10.244.0.6'], 'UDP', 30053)], [dns(['10.244.0.6'], 'UDP', 30053)]),
    ).toEqual([
      ['-D', '-p', 'udp', '--orig-dst', '10.96.0.10', '--dst-nat', '10.244.0.5'],
      ['-D', '-p', 'udp', '--dport', '30053', '--dst-nat', '10.244.0.5'],
    ]);
  });

  it('deletes the flows made while a service had no endpoint, and those of a removed service', () => {
    expect(staleUdpFlows([dns([])], [dns(['10.244.0.5'])])).toEqual([['-D', '-p', 'udp', '--orig-dst', '10.96.0.10']]);
    expect(staleUdpFlows([dns(['10.244.0.5'])], [])).toEqual([['-D', '-p', 'udp', '--orig-dst', '10.96.0.10']]);
  });

  it('leaves TCP, unchanged and new services alone', () => {
    expect(staleUdpFlows([dns(['10.244.0.5'], 'TCP')], [dns([], 'TCP')])).toEqual([]);
    expect(staleUdpFlows([dns(['10.244.0.5'])], [dns(['10.244.0.5', '10.244.0.7'])])).toEqual([]);
    expect(staleUdpFlows([], [dns(['10.244.0.5'])])).toEqual([]);
  });
});
