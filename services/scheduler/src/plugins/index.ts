/**
 * The scheduler's Filter and Score plugins, after kube-scheduler's in-tree plugins, and
 * the default profile: the plugins in kube's order with kube's score weights.
 */
import type { Plugin } from '../framework/types.js';
import { InterPodAffinity, type InterPodAffinityOptions } from './inter-pod-affinity/inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity/node-affinity.js';
import { NodeName } from './node-name/node-name.js';
import { NodePorts } from './node-ports/node-ports.js';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation/balanced-allocation.js';
import { NodeResourcesFit, type NodeResourcesFitOptions } from './node-resources-fit/node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable/node-unschedulable.js';
import { PodTopologySpread } from './pod-topology-spread/pod-topology-spread.js';
import { TaintToleration } from './taint-toleration/taint-toleration.js';

export { resourcesOf } from '../resources.js';
export type { Labels } from './api-types.js';
export type { ResourceSpec } from './helpers/resource-allocation.js';
export type { NamespaceLabels } from './inter-pod-affinity/affinity-terms.js';
export type { InterPodAffinityOptions } from './inter-pod-affinity/inter-pod-affinity.js';
export { InterPodAffinity } from './inter-pod-affinity/inter-pod-affinity.js';
export { NodeAffinity } from './node-affinity/node-affinity.js';
export { NodeName } from './node-name/node-name.js';
export { NodePorts } from './node-ports/node-ports.js';
export { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation/balanced-allocation.js';
export type { NodeResourcesFitOptions, ScoringStrategy } from './node-resources-fit/node-resources-fit.js';
export { NodeResourcesFit } from './node-resources-fit/node-resources-fit.js';
export { NodeUnschedulable } from './node-unschedulable/node-unschedulable.js';
export { DEFAULT_MEMORY_REQUEST, DEFAULT_MILLI_CPU_REQUEST, podInfoOf } from './pod-info.js';
export { PodTopologySpread } from './pod-topology-spread/pod-topology-spread.js';
export { TaintToleration } from './taint-toleration/taint-toleration.js';

export interface DefaultPluginsOptions {
  fit?: NodeResourcesFitOptions;
  interPodAffinity?: InterPodAffinityOptions;
}

/**
 * The default plugins in kube's order (PreFilter, Filter and Score run in this order):
 * NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
 * PodTopologySpread, InterPodAffinity, NodeResourcesBalancedAllocation. Cheap, selective
 * filters come first, so most nodes are turned away before the costlier ones run.
 * (The binder needs the API client and is the framework's; score weights are in
 * framework/weights.ts.)
 */
export function defaultPlugins(options: DefaultPluginsOptions = {}): Plugin[] {
  return [
    new NodeUnschedulable(),
    new NodeName(),
    new TaintToleration(),
    new NodeAffinity(),
    new NodePorts(),
    new NodeResourcesFit(options.fit),
    new PodTopologySpread(),
    new InterPodAffinity(options.interPodAffinity),
    new NodeResourcesBalancedAllocation(),
  ];
}
