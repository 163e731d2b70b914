import { parseCidr } from '@tkube/process';
import { describe, expect, it } from 'vitest';
import { service, slice } from '../testing/objects.js';
import { type BuildOptions, buildRuleset, probability } from './build-ruleset.js';
import { endpointChain, MAX_CHAIN_NAME, serviceChain } from './chain-names.js';
import { servicePortsOf } from './service-ports.js';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
};

const OPTIONS: BuildOptions = {
  instance: 'node-a',
  tag: 'ABCDE',
  clusterCidr: cidr('10.244.0.0/16'),
  masqueradeAll: false,
  nodePortAddresses: [cidr('127.0.0.1/32')],
};

function build(
  services: Parameters<typeof servicePortsOf>[0],
  slices: Parameters<typeof servicePortsOf>[1],
  options = {},
) {
  return buildRuleset(servicePortsOf(services, slices), { ...OPTIONS, ...options });
}

const SVC = serviceChain('ABCDE', 'default/web:http', 'TCP');
const sep = (ip: string, port = 8080) => endpointChain('ABCDE', 'default/web:http', 'TCP', `${ip}:${port}`);

describe('buildRuleset', () => {
  it('writes the fixed chains, masquerade and the NodePort address rule with no service', () => {
    const rules = build([], []);
    expect(rules.nat.chains).toEqual([
      'TKPABCDE-SERVICES',
      'TKPABCDE-NODEPORTS',
      'TKPABCDE-MARK-MASQ',
      'TKPABCDE-POSTROUTING',
    ]);
    expect(rules.nat.rules).toEqual([
      '-A TKPABCDE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
      '-A TKPABCDE-POSTROUTING -j MARK --xor-mark 0x4000',
      '-A TKPABCDE-POSTROUTING -m comment --comment "service traffic requiring SNAT" -j MASQUERADE --random-fully',
      '-A TKPABCDE-MARK-MASQ -j MARK --or-mark 0x4000',
      '-A TKPABCDE-SERVICES -m comment --comment "service nodeports; NOTE: this must be the last rule in this chain" -d 127.0.0.1/32 -j TKPABCDE-NODEPORTS',
    ]);
    expect(rules.filter.chains).toEqual(['TKPABCDE-SERVICES', 'TKPABCDE-FORWARD', 'TKPABCDE-FIREWALL']);
  });

  it('sends a ClusterIP to its one endpoint: SERVICES -> SVC -> SEP -> DNAT, masquerading outside the cluster CIDR', () => {
    const rules = build([service('web', {})], [slice('web', ['10.244.1.2'])]);
    expect(rules.nat.chains).toContain(SVC);
    expect(rules.nat.chains).toContain(sep('10.244.1.2'));
    const svcRules = rules.nat.rules.filter((r) => r.includes(SVC));
    expect(svcRules).toEqual([
      `-A TKPABCDE-SERVICES -m comment --comment "default/web:http cluster IP" -d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j ${SVC}`,
      `-A ${SVC} -m comment --comment "default/web:http cluster IP" ! -s 10.244.0.0/16 -d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j TKPABCDE-MARK-MASQ`,
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.2:8080" -j ${sep('10.244.1.2')}`,
    ]);
    expect(rules.nat.rules.filter((r) => r.startsWith(`-A ${sep('10.244.1.2')}`))).toEqual([
      `-A ${sep('10.244.1.2')} -m comment --comment "default/web:http" -s 10.244.1.2/32 -j TKPABCDE-MARK-MASQ`,
      `-A ${sep('10.244.1.2')} -m comment --comment "default/web:http" -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:8080`,
    ]);
    expect(rules.filter.rules.some((r) => r.includes('REJECT'))).toBe(false);
  });

  it('spreads over several endpoints with probabilities 1/n, 1/(n-1), ..., the last unconditional', () => {
    const ips = ['10.244.1.2', '10.244.1.3', '10.244.2.2', '10.244.2.7'];
    const rules = build([service('web', {})], [slice('web', ips)]);
    const balancing = rules.nat.rules.filter((r) => r.startsWith(`-A ${SVC}`) && r.includes('->'));
    expect(balancing).toEqual([
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.2500000000 -j ${sep(ips[0] ?? '')}`,
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.3333333333 -j ${sep(ips[1] ?? '')}`,
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.2.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep(ips[2] ?? '')}`,
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.2.7:8080" -j ${sep(ips[3] ?? '')}`,
    ]);
    // Each endpoint gets 1/n of new connections: the chance of reaching rule i times its own.
    let reach = 1;
    for (let i = 0; i < 4; i++) {
      const p = i < 3 ? Number(probability(4 - i)) : 1;
      expect(reach * p).toBeCloseTo(0.25, 8);
      reach *= 1 - p;
    }
    for (const ip of ips) {
      expect(rules.nat.rules).toContain(
        `-A ${sep(ip)} -m comment --comment "default/web:http" -p tcp -m tcp -j DNAT --to-destination ${ip}:8080`,
      );
    }
  });

  it('keeps ClientIP affinity with -m recent: rcheck in SVC before balancing, set in SEP', () => {
    const rules = build(
      [service('web', { sessionAffinity: 'ClientIP', timeoutSeconds: 600 })],
      [slice('web', ['10.244.1.2', '10.244.1.3'])],
    );
    const [a, b] = [sep('10.244.1.2'), sep('10.244.1.3')];
    const svcRules = rules.nat.rules.filter((r) => r.startsWith(`-A ${SVC}`));
    expect(svcRules.slice(1)).toEqual([
      `-A ${SVC} -m comment --comment "default/web:http" -m recent --name ${a} --mask 255.255.255.255 --rsource --rcheck --seconds 600 --reap -j ${a}`,
      `-A ${SVC} -m comment --comment "default/web:http" -m recent --name ${b} --mask 255.255.255.255 --rsource --rcheck --seconds 600 --reap -j ${b}`,
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${a}`,
      `-A ${SVC} -m comment --comment "default/web:http -> 10.244.1.3:8080" -j ${b}`,
    ]);
    expect(rules.nat.rules).toContain(
      `-A ${a} -m comment --comment "default/web:http" -p tcp -m tcp -m recent --name ${a} --mask 255.255.255.255 --rsource --set -j DNAT --to-destination 10.244.1.2:8080`,
    );
  });

  it('opens a NodePort: NODEPORTS marks for masquerade and jumps to the same SVC chain', () => {
    const rules = build(
      [service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })],
      [slice('web', ['10.244.1.2'])],
      { nodePortAddresses: [cidr('127.0.0.1/32'), cidr('192.0.2.2/32'), cidr('10.0.0.0/8'), cidr('0.0.0.0/0')] },
    );
    expect(rules.nat.rules.filter((r) => r.startsWith('-A TKPABCDE-NODEPORTS'))).toEqual([
      '-A TKPABCDE-NODEPORTS -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j TKPABCDE-MARK-MASQ',
      `-A TKPABCDE-NODEPORTS -m comment --comment "default/web:http" -p tcp -m tcp --dport 30080 -j ${SVC}`,
    ]);
    const services = rules.nat.rules.filter((r) => r.startsWith('-A TKPABCDE-SERVICES'));
    const note = '-m comment --comment "service nodeports; NOTE: this must be the last rule in this chain"';
    expect(services.slice(1)).toEqual([
      `-A TKPABCDE-SERVICES ${note} -d 127.0.0.1/32 -j TKPABCDE-NODEPORTS`,
      `-A TKPABCDE-SERVICES ${note} -d 192.0.2.2/32 -j TKPABCDE-NODEPORTS`,
      `-A TKPABCDE-SERVICES ${note} -d 10.0.0.0/8 -m addrtype --dst-type LOCAL -j TKPABCDE-NODEPORTS`,
      `-A TKPABCDE-SERVICES ${note} -m addrtype --dst-type LOCAL -j TKPABCDE-NODEPORTS`,
    ]);
  });

  it('rejects in the filter table, and writes no nat chain, for a service port without a ready endpoint', () => {
    const rules = build(
      [service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'UDP', nodePort: 30053 }] })],
      [slice('web', [{ ip: '10.244.1.2', ready: false }], [{ name: 'http', port: 8080, protocol: 'UDP' }])],
    );
    expect(rules.nat.chains.some((c) => c.includes('-SVC-') || c.includes('-SEP-'))).toBe(false);
    expect(rules.nat.rules.some((r) => r.includes('default/web'))).toBe(false);
    expect(rules.filter.rules.filter((r) => r.includes('REJECT'))).toEqual([
      '-A TKPABCDE-SERVICES -m comment --comment "default/web:http has no endpoints" -d 10.96.0.50/32 -p udp -m udp --dport 80 -j REJECT --reject-with icmp-port-unreachable',
      '-A TKPABCDE-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -p udp -m udp --dport 30053 -j REJECT --reject-with icmp-port-unreachable',
    ]);
  });

  it('skips a headless service', () => {
    const rules = build([service('db', { clusterIP: 'None' })], [slice('db', ['10.244.1.2'])]);
    expect(JSON.stringify(rules)).not.toContain('default/db');
  });

  it('masquerades all ClusterIP traffic under masqueradeAll, and none by source without a cluster CIDR', () => {
    const all = build([service('web', {})], [slice('web', ['10.244.1.2'])], { masqueradeAll: true });
    expect(all.nat.rules).toContain(
      `-A ${SVC} -m comment --comment "default/web:http cluster IP" -d 10.96.0.50/32 -p tcp -m tcp --dport 80 -j TKPABCDE-MARK-MASQ`,
    );
    const none = build([service('web', {})], [slice('web', ['10.244.1.2'])], { clusterCidr: undefined });
    expect(none.nat.rules.filter((r) => r.startsWith(`-A ${SVC}`) && r.includes('MARK-MASQ'))).toEqual([]);
  });

  it('jumps into its chains from the built-in chains, each jump naming the instance', () => {
    const { jumps } = build([], []);
    expect(jumps.map((j) => `${j.table} ${j.chain} ${j.spec}`)).toEqual([
      'nat PREROUTING -m comment --comment "tkube-proxy node-a: service portals" -j TKPABCDE-SERVICES',
      'nat OUTPUT -m comment --comment "tkube-proxy node-a: service portals" -j TKPABCDE-SERVICES',
      'nat POSTROUTING -m comment --comment "tkube-proxy node-a: postrouting rules" -j TKPABCDE-POSTROUTING',
      'filter INPUT -m conntrack --ctstate NEW -m comment --comment "tkube-proxy node-a: service portals" -j TKPABCDE-SERVICES',
      'filter FORWARD -m conntrack --ctstate NEW -m comment --comment "tkube-proxy node-a: service portals" -j TKPABCDE-SERVICES',
      'filter OUTPUT -m conntrack --ctstate NEW -m comment --comment "tkube-proxy node-a: service portals" -j TKPABCDE-SERVICES',
      'filter FORWARD -m comment --comment "tkube-proxy node-a: forwarding rules" -j TKPABCDE-FORWARD',
      'filter INPUT -m comment --comment "tkube-proxy node-a: firewall" -j TKPABCDE-FIREWALL',
    ]);
  });

  it('writes only chains of its own prefix, within 28 characters, each declared once', () => {
    const rules = build(
      [service('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })],
      [slice('web', ['10.244.1.2', '10.244.1.3'])],
    );
    for (const table of [rules.nat, rules.filter]) {
      expect(new Set(table.chains).size).toBe(table.chains.length);
      for (const chain of table.chains) {
        expect(chain.startsWith('TKPABCDE-')).toBe(true);
        expect(chain.length).toBeLessThanOrEqual(MAX_CHAIN_NAME);
      }
      for (const rule of table.rules) expect(table.chains).toContain(rule.split(' ')[1]);
    }
  });

  it('is deterministic: the same world gives the same rules whatever the order of objects', () => {
    const services = [service('web', {}), service('api', { clusterIP: '10.96.0.60' })];
    const slices = [slice('web', ['10.244.1.3', '10.244.1.2']), slice('api', ['10.244.2.2'])];
    expect(build(services, slices)).toEqual(build([...services].reverse(), [...slices].reverse()));
  });
});
