/**
 * Removes what a node's network plugin made on the host (the veths on its bridge, its
 * iptables chains and the jumps into them, the bridge, its IPAM state) by running the
 * plugin itself with --teardown: the plugin owns that knowledge, the CLI only shows what
 * the plugin reports. Everything missing counts as removed, so running it twice is fine.
 */
import type { DataDir } from '../cluster/data-dir.js';
import { networkTeardownCommand } from '../cluster/node-components.js';
import type { NodeSettings } from '../cluster/node-settings.js';
import { StepError } from '../steps/step-runner.js';
import type { HostCommands } from './host-commands.js';

/** One entry of the plugin's report (`tkube-cni-bridge --teardown --output json`). */
export interface NetworkRemoval {
  kind: string;
  name: string;
  outcome: string;
}

/** How the summary names each kind of removal, in the order the plugin removes them. */
const KIND_LABELS: ReadonlyArray<[kind: string, label: (count: number) => string]> = [
  ['veth', (n) => `${n} veth(s)`],
  ['jump', (n) => `${n} jump(s)`],
  ['chain', (n) => `${n} chain(s)`],
  ['bridge', () => 'the bridge'],
  ['ipam-state', () => 'the IPAM state'],
];

/** Runs the teardown and answers what went, for the step's line. */
export async function removeNodeNetwork(commands: HostCommands, node: NodeSettings, dir: DataDir): Promise<string> {
  const { file, args } = networkTeardownCommand(node, dir);
  const result = await commands.run(file, args);
  if (result.code !== 0) {
    const message = (result.stderr || result.stdout).trim();
    throw new StepError(
      `the network plugin could not tear down ${node.bridge} (exit ${result.code}): ${message}`,
      /Cannot find module/.test(message) ? ['the plugin is not built: run "npm run build"'] : [],
    );
  }
  return summarize(removalsOf(result.stdout));
}

/** "removed 2 veth(s), 2 jump(s), 2 chain(s), the bridge, the IPAM state", or "none left". */
export function summarize(removals: readonly NetworkRemoval[]): string {
  const removed = removals.filter((r) => r.outcome === 'removed');
  const parts = KIND_LABELS.flatMap(([kind, label]) => {
    const count = removed.filter((r) => r.kind === kind).length;
    return count > 0 ? [label(count)] : [];
  });
  return parts.length === 0 ? 'none left' : `removed ${parts.join(', ')}`;
}

/** The removals in the plugin's JSON report; an unreadable report is an error. */
export function removalsOf(stdout: string): NetworkRemoval[] {
  let report: unknown;
  try {
    report = JSON.parse(stdout);
  } catch {
    throw new Error(`the network plugin's report is not JSON: ${stdout.trim().slice(0, 200) || '(nothing printed)'}`);
  }
  const removals =
    typeof report === 'object' && report !== null ? (report as { removals?: unknown }).removals : undefined;
  if (!Array.isArray(removals) || !removals.every(isRemoval)) {
    throw new Error(`the network plugin's report has no list of removals: ${stdout.trim().slice(0, 200)}`);
  }
  return removals;
}

function isRemoval(value: unknown): value is NetworkRemoval {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, name, outcome } = value as Record<string, unknown>;
  return typeof kind === 'string' && typeof name === 'string' && typeof outcome === 'string';
}
