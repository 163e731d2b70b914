/**
 * kube-proxy's iptables layout, for one proxy's chains (pkg/proxy/iptables/proxier.go):
 *
 * nat    PREROUTING, OUTPUT -> SERVICES: per service port `-d clusterIP -p proto --dport port`
 *                              -> SVC; last, the NodePort addresses -> NODEPORTS
 *        NODEPORTS:          `--dport nodePort` -> MARK-MASQ, then -> SVC
 *        SVC:                masquerade rule for traffic from outside the cluster CIDR, ClientIP
 *                            affinity (`-m recent --rcheck`), then one rule per endpoint with
 *                            `-m statistic --probability 1/(n-i)`, the last unconditional
 *        SEP:                `-s ip/32` -> MARK-MASQ (hairpin), then DNAT to ip:port
 *                            (with `-m recent --set` under affinity)
 *        MARK-MASQ:          sets mark 0x4000
 *        POSTROUTING (jumped from POSTROUTING): MASQUERADE marked packets, clearing the mark
 * filter INPUT, FORWARD, OUTPUT (new connections) -> SERVICES: REJECT for service ports
 *                            without a ready endpoint, so clients fail at once
 *        FORWARD -> FORWARD: accept marked and DNAT-ed established traffic
 *        INPUT -> FIREWALL:  drop outside traffic to 127/8 (route_localnet lets it in otherwise)
 *
 * Pure and deterministic: the same service ports give the same text, so an unchanged
 * world can be recognised and not rewritten.
 */
import { formatCidr, type Ipv4Cidr } from '@tkube/process';
import { type ChainNames, chainNames, endpointChain, serviceChain } from './chain-names.js';
import type { Jump, Ruleset } from './ruleset.js';
import type { ServicePortInfo } from './service-ports.js';

/** The masquerade mark, kube-proxy's bit; every proxy on the host masquerades it the same way. */
export const MASQ_MARK = '0x4000';

export interface BuildOptions {
  /** --instance: named in the comments of the jumps. */
  readonly instance: string;
  /** The instance's tag (instanceTag). */
  readonly tag: string;
  readonly clusterCidr: Ipv4Cidr | undefined;
  readonly masqueradeAll: boolean;
  /** Where NodePorts answer: a /32 is that address; wider blocks mean local addresses in them. */
  readonly nodePortAddresses: readonly Ipv4Cidr[];
}

export function buildRuleset(servicePorts: readonly ServicePortInfo[], options: BuildOptions): Ruleset {
  const names = chainNames(options.tag);
  const natChains = [names.services, names.nodePorts, names.markMasq, names.postrouting];
  const nat: string[] = [
    `-A ${names.postrouting} -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    // Cleared so that a packet passing several proxies' chains is masqueraded once.
    `-A ${names.postrouting} -j MARK --xor-mark ${MASQ_MARK}`,
    `-A ${names.postrouting} -m comment --comment ${quote('service traffic requiring SNAT')} -j MASQUERADE --random-fully`,
    `-A ${names.markMasq} -j MARK --or-mark ${MASQ_MARK}`,
  ];
  const filter: string[] = [
    `-A ${names.forward} -m comment --comment ${quote('forwarding rules')} -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`,
    `-A ${names.forward} -m comment --comment ${quote('forwarding conntrack rule')} -m conntrack --ctstate RELATED,ESTABLISHED -m conntrack --ctstate DNAT -j ACCEPT`,
    `-A ${names.firewall} ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment ${quote('block incoming localnet connections')} -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP`,
  ];
  const nodePortRules: string[] = [];

  for (const sp of servicePorts) {
    const comment = `-m comment --comment ${quote(sp.name)}`;
    const proto = protoMatch(sp.protocol);
    const dest = `-d ${sp.clusterIP}/32 ${proto} --dport ${sp.port}`;
    if (sp.endpoints.length === 0) {
      const why = `-m comment --comment ${quote(`${sp.name} has no endpoints`)}`;
      filter.push(`-A ${names.services} ${why} ${dest} -j REJECT --reject-with icmp-port-unreachable`);
      if (sp.nodePort !== undefined) {
        filter.push(
          `-A ${names.services} ${why} -m addrtype --dst-type LOCAL ${proto} --dport ${sp.nodePort} -j REJECT --reject-with icmp-port-unreachable`,
        );
      }
      continue;
    }

    const svc = serviceChain(options.tag, sp.name, sp.protocol);
    natChains.push(svc);
    const clusterComment = `-m comment --comment ${quote(`${sp.name} cluster IP`)}`;
    nat.push(`-A ${names.services} ${clusterComment} ${dest} -j ${svc}`);
    if (options.masqueradeAll) {
      nat.push(`-A ${svc} ${clusterComment} ${dest} -j ${names.markMasq}`);
    } else if (options.clusterCidr !== undefined) {
      nat.push(`-A ${svc} ${clusterComment} ! -s ${formatCidr(options.clusterCidr)} ${dest} -j ${names.markMasq}`);
    }
    if (sp.nodePort !== undefined) {
      nodePortRules.push(`-A ${names.nodePorts} ${comment} ${proto} --dport ${sp.nodePort} -j ${names.markMasq}`);
      nodePortRules.push(`-A ${names.nodePorts} ${comment} ${proto} --dport ${sp.nodePort} -j ${svc}`);
    }

    const seps = sp.endpoints.map((ep) => endpointChain(options.tag, sp.name, sp.protocol, `${ep.ip}:${ep.port}`));
    natChains.push(...seps);
    if (sp.affinitySeconds !== undefined) {
      for (const sep of seps) {
        nat.push(
          `-A ${svc} ${comment} -m recent --name ${sep} --mask 255.255.255.255 --rsource --rcheck --seconds ${sp.affinitySeconds} --reap -j ${sep}`,
        );
      }
    }
    sp.endpoints.forEach((ep, i) => {
      const n = sp.endpoints.length;
      const epComment = `-m comment --comment ${quote(`${sp.name} -> ${ep.ip}:${ep.port}`)}`;
      const pick = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : '';
      nat.push(`-A ${svc} ${epComment}${pick} -j ${seps[i]}`);
    });
    sp.endpoints.forEach((ep, i) => {
      const sep = seps[i];
      const remember =
        sp.affinitySeconds !== undefined ? ` -m recent --name ${sep} --mask 255.255.255.255 --rsource --set` : '';
      nat.push(`-A ${sep} ${comment} -s ${ep.ip}/32 -j ${names.markMasq}`);
      nat.push(`-A ${sep} ${comment} ${proto}${remember} -j DNAT --to-destination ${ep.ip}:${ep.port}`);
    });
  }

  nat.push(...nodePortRules);
  // Last in SERVICES, as in kube-proxy: a ClusterIP rule must win over a NodePort address.
  const nodePortsComment = `-m comment --comment ${quote('service nodeports; NOTE: this must be the last rule in this chain')}`;
  for (const cidr of options.nodePortAddresses) {
    const match =
      cidr.prefixLength === 0
        ? '-m addrtype --dst-type LOCAL'
        : cidr.prefixLength === 32
          ? `-d ${formatCidr(cidr)}`
          : `-d ${formatCidr(cidr)} -m addrtype --dst-type LOCAL`;
    nat.push(`-A ${names.services} ${nodePortsComment} ${match} -j ${names.nodePorts}`);
  }

  return {
    nat: { chains: natChains, rules: nat },
    filter: { chains: [names.services, names.forward, names.firewall], rules: filter },
    jumps: jumpsOf(names, options.instance),
  };
}

/** The rules in built-in chains that lead into this proxy's chains, each written once. */
export function jumpsOf(names: ChainNames, instance: string): Jump[] {
  const comment = (what: string) => `-m comment --comment ${quote(`tkube-proxy ${instance}: ${what}`)}`;
  const portals = comment('service portals');
  const newOnly = '-m conntrack --ctstate NEW';
  return [
    { table: 'nat', chain: 'PREROUTING', spec: `${portals} -j ${names.services}` },
    { table: 'nat', chain: 'OUTPUT', spec: `${portals} -j ${names.services}` },
    { table: 'nat', chain: 'POSTROUTING', spec: `${comment('postrouting rules')} -j ${names.postrouting}` },
    { table: 'filter', chain: 'INPUT', spec: `${newOnly} ${portals} -j ${names.services}` },
    { table: 'filter', chain: 'FORWARD', spec: `${newOnly} ${portals} -j ${names.services}` },
    { table: 'filter', chain: 'OUTPUT', spec: `${newOnly} ${portals} -j ${names.services}` },
    { table: 'filter', chain: 'FORWARD', spec: `${comment('forwarding rules')} -j ${names.forward}` },
    { table: 'filter', chain: 'INPUT', spec: `${comment('firewall')} -j ${names.firewall}` },
  ];
}

/** `-p tcp -m tcp`: the protocol and its match module, as iptables-save prints them. */
function protoMatch(protocol: string): string {
  const p = protocol.toLowerCase();
  return `-p ${p} -m ${p}`;
}

/** kube-proxy's format: ten decimals. */
export function probability(remaining: number): string {
  return (1 / remaining).toFixed(10);
}

/** A comment argument as iptables-save writes it: in double quotes. */
function quote(text: string): string {
  return `"${text.replace(/["\\]/g, '')}"`;
}
