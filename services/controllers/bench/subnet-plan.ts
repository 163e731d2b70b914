/**
 * Where the benchmark's nodes live on the host: node i gets pod CIDR 10.244.(K+i-1).0/24 and
 * bridge tkb<K+i-1> (tkube up's --node-subnet-start and --bridge-prefix). K is picked so no
 * bridge of another cluster (a user's tkube<n>, the tests' and benchmarks' tkt<n>, another
 * run's tkb<n>) and no route already covers any of those subnets.
 */
import { runCommand } from './run-command.ts';

export const BRIDGE_PREFIX = 'tkb';
/** The prefixes other tkube clusters on this host use for their bridges. */
const OTHER_PREFIXES = ['tkube', 'tkt', BRIDGE_PREFIX];
const FIRST = 200;
const LAST = 254;

export async function unusedSubnetStart(nodes: number): Promise<number> {
  const links = await runCommand('ip', ['-o', 'link', 'show'], 10_000);
  const routes = await runCommand('ip', ['route', 'show'], 10_000);
  if (links.code !== 0 || routes.code !== 0) throw new Error(`ip failed:\n${links.output}\n${routes.output}`);
  const names = new Set(links.output.split('\n').map((line) => (line.split(': ')[1] ?? '').split('@')[0]));
  const taken = (subnet: number) =>
    OTHER_PREFIXES.some((prefix) => names.has(`${prefix}${subnet}`)) || routes.output.includes(`10.244.${subnet}.`);
  const candidates: number[] = [];
  for (let start = FIRST; start + nodes - 1 <= LAST; start++) {
    if (Array.from({ length: nodes }, (_, i) => start + i).every((subnet) => !taken(subnet))) candidates.push(start);
  }
  if (candidates.length === 0) {
    throw new Error(`no ${nodes} free subnets in 10.244.${FIRST}-${LAST}.0/24: purge the clusters that hold them`);
  }
  // Random, so two benchmarks started together rarely pick the same one.
  return candidates[Math.floor(Math.random() * candidates.length)] ?? FIRST;
}
