/** `tkube status`: each component's state. Exit code 0 when every one is running and ready. */
import { DEFAULT_PORTS, readClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext } from '../cluster/component.js';
import { COMPONENTS } from '../cluster/components.js';
import { dataDir } from '../cluster/data-dir.js';
import { componentState } from '../cluster/lifecycle.js';
import type { Output } from '../steps/output.js';

export interface StatusOptions {
  dataDir: string;
}

export async function status(options: StatusOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const settings = await readClusterSettings(dir.clusterFile);
  const context: ClusterContext = { dir, ports: settings?.ports ?? DEFAULT_PORTS };
  const rows = [['COMPONENT', 'STATE', 'PID', 'ADDRESS', 'READY']];
  let allReady = true;
  for (const component of COMPONENTS) {
    const state = await componentState(component, context);
    allReady &&= state.ready;
    rows.push([
      component.name,
      state.running ? 'running' : 'stopped',
      state.record ? String(state.record.pid) : '-',
      state.record?.address ?? component.address(context),
      state.ready ? 'yes' : 'no',
    ]);
  }
  output.info(`data dir: ${dir.root}`);
  for (const line of formatTable(rows)) output.info(line);
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
