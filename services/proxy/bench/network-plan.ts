/**
 * Where the benchmark's cluster lives on the host, apart from every other cluster: slot r
 * (0..7) gets the pods' range 10.244.(128+4r).0/22, the bridge prefix tkpx<r>- (node 1's
 * bridge is tkpx<r>-1), the Services' range 10.98.(16r).0/20 (inside 10.96.0.0/12, clear
 * of the e2e tests' 10.97.0.0-10.97.223.255) and 70 NodePorts from 32200+70r (clear of the
 * e2e tests' 30100-32199). A slot is passed over when its bridge exists, a route leads into
 * its pods' range, or an iptables nat rule names an address of its Services' range.
 */
import { runCommand } from '../../../bench-kit/run-command.ts';

const SLOTS = 8;

export interface BenchNetwork {
  slot: number;
  clusterCidr: string;
  bridgePrefix: string;
  /** Node 1's bridge: the host's way to the pods. */
  bridge: string;
  serviceCidr: string;
  nodePortRange: string;
}

export function networkOfSlot(slot: number): BenchNetwork {
  const bridgePrefix = `tkpx${slot}-`;
  return {
    slot,
    clusterCidr: `10.244.${128 + 4 * slot}.0/22`,
    bridgePrefix,
    bridge: `${bridgePrefix}1`,
    serviceCidr: `10.98.${16 * slot}.0/20`,
    nodePortRange: `${32200 + 70 * slot}-${32269 + 70 * slot}`,
  };
}

/** The /24 prefixes ("10.244.128.") a CIDR of whole /24s covers. */
function blockPrefixes(cidr: string): string[] {
  const [address = '', bits = '24'] = cidr.split('/');
  const [a, b, c] = address.split('.').map(Number);
  const blocks = 2 ** (24 - Number(bits));
  return Array.from({ length: blocks }, (_, i) => `${a}.${b}.${(c ?? 0) + i}.`);
}

export async function unusedNetwork(): Promise<BenchNetwork> {
  const links = await runCommand('ip', ['-o', 'link', 'show'], 10_000);
  const routes = await runCommand('ip', ['route', 'show'], 10_000);
  const nat = await runCommand('iptables-save', ['-t', 'nat'], 20_000);
  if (links.code !== 0 || routes.code !== 0 || nat.code !== 0) {
    throw new Error(`reading the host's network failed:\n${links.output}\n${routes.output}\n${nat.output.slice(-500)}`);
  }
  const names = new Set(links.output.split('\n').map((line) => (line.split(': ')[1] ?? '').split('@')[0]));
  const free: BenchNetwork[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    const network = networkOfSlot(slot);
    if (names.has(network.bridge)) continue;
    if (blockPrefixes(network.clusterCidr).some((p) => routes.output.includes(p))) continue;
    if (blockPrefixes(network.serviceCidr).some((p) => nat.output.includes(p))) continue;
    free.push(network);
  }
  // Random, so two benchmarks started together rarely pick the same one.
  const chosen = free[Math.floor(Math.random() * free.length)];
  if (!chosen) throw new Error('all 8 benchmark network slots (bridges tkpx<r>-1) are in use: purge their clusters');
  return chosen;
}
