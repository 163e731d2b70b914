/**
 * The cluster's processes in a few rows: the control plane one by one, each kind of node
 * process summed over the nodes (DIR/run names them kubelet-<node>, cri-<node>, cni-<node>).
 */
import type { ProcessFigures } from './process-sampler.ts';

export interface GroupFigures {
  processes: number;
  cpuSeconds: number;
  cores: number;
  /** Summed over the group's processes, at the end. */
  rssMiB: number;
}

const NODE_KINDS: Record<string, string> = { 'kubelet-': 'kubelets', 'cri-': 'cri-fake', 'cni-': 'cni-bridge' };

export function groupProcesses(processes: Record<string, ProcessFigures>): Record<string, GroupFigures> {
  const groups: Record<string, GroupFigures> = {};
  for (const [name, figures] of Object.entries(processes)) {
    const kind = Object.entries(NODE_KINDS).find(([prefix]) => name.startsWith(prefix))?.[1];
    const group = kind ?? name;
    const sum = groups[group] ?? { processes: 0, cpuSeconds: 0, cores: 0, rssMiB: 0 };
    sum.processes++;
    sum.cpuSeconds = round2(sum.cpuSeconds + figures.cpuSeconds);
    sum.cores = round2(sum.cores + figures.cores);
    sum.rssMiB = Math.round(sum.rssMiB + (figures.memory?.rss ?? 0));
    groups[group] = sum;
  }
  return groups;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
