/**
 * Where the benchmark's nodes live on the host: the pods' range is one of the four /20s of
 * 10.244.64.0/18 (sixteen /24 node blocks, which node IPAM hands out) and node i gets the
 * bridge tkb<r>-<i> (tkube up's --cluster-cidr and --bridge-prefix). r is picked so that no
 * other cluster (a user's 10.244.0.0/16 from its first blocks up, the tests' 10.244.2xx,
 * another run) holds its first bridge or a route into its range.
 */
import { runCommand } from '../../../bench-kit/run-command.ts';

const RANGES = 4;

export interface BenchNetwork {
  clusterCidr: string;
  bridgePrefix: string;
}

export async function unusedNetwork(nodes: number): Promise<BenchNetwork> {
  if (nodes > 16) throw new Error(`at most 16 nodes fit a /20 of /24 blocks, not ${nodes}`);
  const links = await runCommand('ip', ['-o', 'link', 'show'], 10_000);
  const routes = await runCommand('ip', ['route', 'show'], 10_000);
  if (links.code !== 0 || routes.code !== 0) throw new Error(`ip failed:\n${links.output}\n${routes.output}`);
  const names = new Set(links.output.split('\n').map((line) => (line.split(': ')[1] ?? '').split('@')[0]));
  const free: BenchNetwork[] = [];
  for (let r = 0; r < RANGES; r++) {
    const base = 64 + 16 * r;
    const routed = Array.from({ length: 16 }, (_, i) => `10.244.${base + i}.`).some((p) => routes.output.includes(p));
    if (!routed && !names.has(`tkb${r}-1`)) free.push({ clusterCidr: `10.244.${base}.0/20`, bridgePrefix: `tkb${r}-` });
  }
  // Random, so two benchmarks started together rarely pick the same one.
  const chosen = free[Math.floor(Math.random() * free.length)];
  if (!chosen) throw new Error('every range of 10.244.64.0/18 is in use: purge the clusters that hold them');
  return chosen;
}
