/**
 * `tkube status`: each component's state (the nodes' runtime, network plugin and kubelet
 * included) with, for those that serve one, the URL of its /readyz (its /healthz and
 * /metrics are beside it), then the nodes as cluster.json records them. Exit code 0 when
 * every component is running and ready.
 */
import { DEFAULT_PORTS, readClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext } from '../cluster/component.js';
import { clusterComponents } from '../cluster/components.js';
import { dataDir } from '../cluster/data-dir.js';
import { healthzAddressIn } from '../cluster/healthz.js';
import { componentState } from '../cluster/lifecycle.js';
import type { Output } from '../steps/output.js';

export interface StatusOptions {
  dataDir: string;
}

export async function status(options: StatusOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const settings = await readClusterSettings(dir.clusterFile);
  const context: ClusterContext = { dir, ports: settings?.ports ?? DEFAULT_PORTS };
  const rows = [['COMPONENT', 'STATE', 'PID', 'ADDRESS', 'READY', 'HEALTH']];
  let allReady = true;
  const nodes = settings?.nodes?.nodes ?? [];
  for (const component of clusterComponents(nodes)) {
    const state = await componentState(component, context);
    allReady &&= state.ready;
    const health = healthzAddressIn(state.record?.argv ?? []);
    rows.push([
      component.name,
      state.running ? 'running' : 'stopped',
      state.record ? String(state.record.pid) : '-',
      state.record?.address ?? component.address(context),
      state.ready ? 'yes' : 'no',
      health ? `http://${health}/readyz` : '-',
    ]);
  }
  output.info(`data dir: ${dir.root}`);
  for (const line of formatTable(rows)) output.info(line);
  if (nodes.length > 0) {
    output.info('');
    const nodeRows = [['NODE', 'BRIDGE', 'RUNTIME', 'KUBELET PORT']];
    for (const node of nodes) nodeRows.push([node.name, node.bridge, node.runtime, String(node.kubeletPort)]);
    for (const line of formatTable(nodeRows)) output.info(line);
    // Each node's block is node IPAM's choice, kept in the API rather than here.
    output.info(
      `pods in ${nodes[0]?.clusterCidr}: kubectl get nodes -o custom-columns=NAME:.metadata.name,POD-CIDR:.spec.podCIDR`,
    );
  }
  return allReady ? 0 : 1;
}

export function formatTable(rows: readonly string[][]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, col) => cell.padEnd(widths[col] ?? 0))
      .join('   ')
      .trimEnd(),
  );
}
