/** `tkube down`: stops every component, newest first. The data dir stays, so `up` brings the same cluster back. */
import { DEFAULT_PORTS, readClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext, Component } from '../cluster/component.js';
import { COMPONENTS } from '../cluster/components.js';
import { dataDir } from '../cluster/data-dir.js';
import { runningRecord, stopComponent } from '../cluster/lifecycle.js';
import type { Output } from '../steps/output.js';
import { runSteps, type Step } from '../steps/step-runner.js';

export interface DownOptions {
  dataDir: string;
}

export async function down(options: DownOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const ports = (await readClusterSettings(dir.clusterFile))?.ports ?? DEFAULT_PORTS;
  const context: ClusterContext = { dir, ports };
  const running: Component[] = [];
  for (const component of COMPONENTS) {
    if (await runningRecord(component, context)) running.push(component);
  }
  if (running.length === 0) {
    output.info(`tkube is not running (data dir ${dir.root}).`);
    return 0;
  }
  output.info(`Stopping tkube (data dir ${dir.root}) ...`);
  const steps: Step<ClusterContext>[] = running.reverse().map((component) => ({
    title: `Stopping ${component.displayName}`,
    execute: async (c) => ({ detail: await stopComponent(component, c) }),
  }));
  const outcome = await runSteps(steps, context, output);
  if (!outcome.ok) return 1;
  output.info(`tkube is down; its data stays in ${dir.root} ("tkube up" brings it back).`);
  return 0;
}
