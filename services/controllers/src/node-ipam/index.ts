/** The node IPAM controller: a pod CIDR for every node. */
export { CidrAllocator, DEFAULT_CLUSTER_CIDR, DEFAULT_NODE_MASK_SIZE } from './cidr-allocator.js';
export type { NodeIpamControllerDeps } from './controller.js';
export { NODES, startNodeIpamController } from './controller.js';
