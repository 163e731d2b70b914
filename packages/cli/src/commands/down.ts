/**
 * `tkube down`: stops every component in reverse start order (the kubelets, then the
 * nodes' plugins, then the apiserver and NATS). The data dir stays, so `up` brings the same
 * cluster back. Pods' containers, bridges and NAT rules stay too, as when a real node's
 * kubelet stops: the next kubelet adopts them.
 *
 * `tkube down --purge` then removes what the cluster made on the host (purge/): the nodes'
 * containers, veths, iptables chains and bridges, and the data dir with every object.
 */
import { DEFAULT_PORTS, readClusterSettings } from '../cluster/cluster-settings.js';
import type { ClusterContext, Component } from '../cluster/component.js';
import { clusterComponents } from '../cluster/components.js';
import { dataDir } from '../cluster/data-dir.js';
import { runningRecord, stopComponent } from '../cluster/lifecycle.js';
import { execFileCommands, type HostCommands } from '../purge/host-commands.js';
import { purgeSteps } from '../purge/purge-steps.js';
import type { Output } from '../steps/output.js';
import { runSteps, type Step } from '../steps/step-runner.js';

export interface DownOptions {
  dataDir: string;
  /** Also remove the nodes' containers and network, and the data dir. */
  purge?: boolean;
  /** The host programs purge runs (tests replace them). */
  commands?: HostCommands;
}

export async function down(options: DownOptions, output: Output): Promise<number> {
  const dir = dataDir(options.dataDir);
  const settings = await readClusterSettings(dir.clusterFile);
  const context: ClusterContext = { dir, ports: settings?.ports ?? DEFAULT_PORTS };
  const nodes = settings?.nodes?.nodes ?? [];
  const running: Component[] = [];
  for (const component of clusterComponents(nodes)) {
    if (await runningRecord(component, context)) running.push(component);
  }
  if (running.length === 0) {
    output.info(`tkube is not running (data dir ${dir.root}).`);
  } else {
    output.info(`Stopping tkube (data dir ${dir.root}) ...`);
    const steps: Step<ClusterContext>[] = running.reverse().map((component) => ({
      title: `Stopping ${component.displayName}`,
      execute: async (c) => ({ detail: await stopComponent(component, c) }),
    }));
    // Purging under a process that still runs would race with it: stop first, or stop here.
    if (!(await runSteps(steps, context, output)).ok) return 1;
  }
  if (!options.purge) {
    if (running.length > 0) output.info(`tkube is down; its data stays in ${dir.root} ("tkube up" brings it back).`);
    return 0;
  }

  output.info(`Purging tkube (data dir ${dir.root}) ...`);
  const purge = { dir, commands: options.commands ?? execFileCommands };
  if (!(await runSteps(purgeSteps(settings?.nodes), purge, output)).ok) {
    output.info(`\nThe purge stopped there; "tkube down --purge --data-dir ${dir.root}" runs it again.`);
    return 1;
  }
  output.info('tkube is purged: its containers, bridges, iptables rules and data are gone.');
  return 0;
}
