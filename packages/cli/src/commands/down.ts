/**
 * `tkube down`: stops every component in reverse start order (the kubelets, then the
 * nodes' plugins, then the apiserver and NATS). The data dir stays, so `up` brings the same
 * cluster back. Pods' containers, bridges and NAT rules stay too, as when a real node's
 * kubelet stops: the next kubelet adopts them.
 */
import { DEFAULT_PORTS, readClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext, Component } from '../cluster/component.js';
import { clusterComponents } from '../cluster/components.js';
import { dataDir } from '../cluster/data-dir.js';
import { runningRecord, stopComponent } from '../cluster/lifecycle.js';
import type { Output } from '../steps/output.js';
import { runSteps, type Step } from '../steps/step-runner.js';

export interface DownOptions {
  dataDir: string;
}

export async function down(options: DownOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const settings = await readClusterSettings(dir.clusterFile);
  const context: ClusterContext = { dir, ports: settings?.ports ?? DEFAULT_PORTS };
  const running: Component[] = [];
  for (const component of clusterComponents(settings?.nodes?.nodes ?? [])) {
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
