/**
 * The steps of `tkube down --purge` once every process has stopped: for each node, its
 * containers, the veths left on its bridge, its iptables chains and jumps, its bridge;
 * then the data dir. Each step is idempotent, so a purge that failed half way is run again.
 */

import type { DataDir } from '../cluster/data-dir.js';
import { runtimeInstance } from '../cluster/node-components.js';
import type { NodeSettings } from '../cluster/node-settings.js';
import type { Step } from '../steps/step-runner.js';
import { removeBridge, removeBridgePorts, removeNetworkRules } from './bridge-network.js';
import { removeDataDir } from './data-dir-removal.js';
import type { HostCommands } from './host-commands.js';
import { removeNodeContainers } from './node-containers.js';

export interface PurgeContext {
  dir: DataDir;
  commands: HostCommands;
}

export function purgeSteps(nodes: readonly NodeSettings[]): Step<PurgeContext>[] {
  const steps: Step<PurgeContext>[] = [];
  for (const node of nodes) {
    const { bridge } = node;
    steps.push(
      {
        // cri-fake's containers died with its process; a docker node's outlive it.
        title: `Removing the containers of ${node.name}`,
        execute: async ({ commands }) => ({
          detail:
            node.runtime === 'docker'
              ? await removeNodeContainers(commands, runtimeInstance(node))
              : 'none (in memory)',
        }),
      },
      {
        title: `Removing the veths on ${bridge}`,
        execute: async ({ commands }) => ({ detail: await removeBridgePorts(commands, bridge) }),
      },
      {
        title: `Removing the iptables chains of ${bridge}`,
        execute: async ({ commands }) => ({ detail: await removeNetworkRules(commands, bridge) }),
      },
      {
        title: `Removing the bridge ${bridge}`,
        execute: async ({ commands }) => ({ detail: await removeBridge(commands, bridge) }),
      },
    );
  }
  steps.push({
    title: 'Removing the data dir',
    execute: async ({ dir }) => ({ detail: `${dir.root}: ${await removeDataDir(dir)}` }),
  });
  return steps;
}
