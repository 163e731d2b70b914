/**
 * The steps of `tkube down --purge` once every process has stopped: for each node, its
 * containers, then its network (veths, iptables chains and jumps, bridge, IPAM state, all
 * removed by the network plugin's own teardown); then the data dir. Each step is
 * idempotent, so a purge that failed half way is run again.
 */

import type { DataDir } from '../cluster/data-dir.js';
import { runtimeInstance } from '../cluster/node-components.js';
import type { NodeSettings } from '../cluster/node-settings.js';
import type { Step } from '../steps/step-runner.js';
import { removeDataDir } from './data-dir-removal.js';
import type { HostCommands } from './host-commands.js';
import { removeNodeContainers } from './node-containers.js';
import { removeNodeNetwork } from './node-network.js';

export interface PurgeContext {
  dir: DataDir;
  commands: HostCommands;
}

export function purgeSteps(nodes: readonly NodeSettings[]): Step<PurgeContext>[] {
  const steps: Step<PurgeContext>[] = [];
  for (const node of nodes) {
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
        title: `Removing the network of ${node.name} (bridge ${node.bridge})`,
        execute: async ({ commands, dir }) => ({ detail: await removeNodeNetwork(commands, node, dir) }),
      },
    );
  }
  steps.push({
    title: 'Removing the data dir',
    execute: async ({ dir }) => ({ detail: `${dir.root}: ${await removeDataDir(dir)}` }),
  });
  return steps;
}
