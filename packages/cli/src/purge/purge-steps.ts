/**
 * The steps of `tkube down --purge` once every process has stopped: for each node, its
 * containers, then its network (veths, iptables chains and jumps, bridge, IPAM state, all
 * removed by the network plugin's own teardown); then the data dir. Each step is
 * idempotent, so a purge that failed half way is run again.
 */

import { clusterNetworkOf } from '../cluster/cluster-network.js';
import { dnsCleanupCommand } from '../cluster/components.js';
import type { DataDir } from '../cluster/data-dir.js';
import { proxyCleanupCommand, runtimeInstance } from '../cluster/node-components.js';
import type { NodePlan } from '../cluster/node-settings.js';
import type { Step } from '../steps/step-runner.js';
import { removeDataDir } from './data-dir-removal.js';
import type { HostCommands } from './host-commands.js';
import { removeNodeContainers } from './node-containers.js';
import { removeNodeNetwork } from './node-network.js';
import { runCleanup } from './service-network.js';

export interface PurgeContext {
  dir: DataDir;
  commands: HostCommands;
}

export function purgeSteps(plan: NodePlan | undefined): Step<PurgeContext>[] {
  const steps: Step<PurgeContext>[] = [];
  for (const node of plan?.nodes ?? []) {
    steps.push(
      {
        title: `Removing the proxy rules of ${node.name}`,
        execute: async ({ commands }) => ({
          detail: await runCleanup(commands, `the proxy of ${node.name}`, proxyCleanupCommand(node)),
        }),
      },
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
  if (plan) {
    const { dnsInterface } = clusterNetworkOf(plan.options);
    steps.push({
      title: `Removing the cluster DNS's interface ${dnsInterface}`,
      execute: async ({ commands }) => ({
        detail: await runCleanup(commands, 'the cluster DNS', dnsCleanupCommand(dnsInterface)),
      }),
    });
  }
  steps.push({
    title: 'Removing the data dir',
    execute: async ({ dir }) => ({ detail: `${dir.root}: ${await removeDataDir(dir)}` }),
  });
  return steps;
}
