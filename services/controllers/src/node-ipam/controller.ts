/**
 * Node IPAM (kube's range allocator): every Node without spec.podCIDR gets the lowest free
 * subnet of the cluster CIDR, written to spec.podCIDR and spec.podCIDRs; the kubelet and
 * the network plugin take the pod addresses from it. Subnets of deleted nodes are freed.
 */
import type { Node } from '@tkube/api';
import type { ResourceTarget } from '@tkube/client';
import { RateLimitingQueue } from '@tkube/client';
import type { ControllerClient, Logger, RunningController, SharedInformers } from '../framework/index.js';
import { keyOf, runController } from '../framework/index.js';
import { CidrAllocator, DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_MASK_SIZE } from './cidr-allocator.js';

export const NODES: ResourceTarget = { group: '', version: 'v1', resource: 'nodes' };

export interface NodeIpamControllerDeps {
  client: ControllerClient;
  informers: SharedInformers;
  logger: Logger;
  /** --cluster-cidr */
  clusterCidr?: string;
  /** --node-cidr-mask-size */
  nodeMaskSize?: number;
  queue?: RateLimitingQueue<string>;
}

export function startNodeIpamController(deps: NodeIpamControllerDeps): RunningController {
  const { client, informers, logger } = deps;
  const nodes = informers.informerFor<Node>(NODES);
  const queue = deps.queue ?? new RateLimitingQueue<string>();
  const allocator = new CidrAllocator(
    deps.clusterCidr ?? DEFAULT_CLUSTER_CIDR,
    deps.nodeMaskSize ?? DEFAULT_NODE_MASK_SIZE,
  );

  const observe = (node: Node) => {
    for (const cidr of podCidrsOf(node)) allocator.occupy(cidr);
    if (podCidrsOf(node).length === 0) queue.add(keyOf(node));
  };
  nodes.addEventHandler({
    onAdd: observe,
    onUpdate: (_old, node) => observe(node),
    onDelete: (node) => {
      for (const cidr of podCidrsOf(node)) allocator.release(cidr);
    },
  });

  async function sync(name: string): Promise<void> {
    const node = nodes.cache.get(name);
    if (!node || podCidrsOf(node).length > 0) return;
    const cidr = allocator.allocateNext();
    try {
      await client.patch(NODES, name, 'merge', { spec: { podCIDR: cidr, podCIDRs: [cidr] } });
      logger.info({ node: name, podCIDR: cidr }, 'allocated the node a pod CIDR');
    } catch (err) {
      allocator.release(cidr);
      throw err;
    }
  }

  return runController({
    name: 'node-ipam',
    queue,
    // One worker: allocations are decided in memory and must not race.
    workers: 1,
    sync,
    hasSynced: () => nodes.hasSynced(),
    logger,
  });
}

function podCidrsOf(node: Node): string[] {
  const cidrs = new Set(node.spec?.podCIDRs ?? []);
  if (node.spec?.podCIDR) cidrs.add(node.spec.podCIDR);
  return [...cidrs];
}
