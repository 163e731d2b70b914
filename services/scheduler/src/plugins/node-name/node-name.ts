/**
 * NodeName (nodename/node_name.go): a pod that names its node (spec.nodeName) fits only there.
 * PreFilter narrows the candidates to that one node so the others are not even filtered.
 */
import {
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PluginStatus,
  type PodInfo,
  type PreFilterPlugin,
  type PreFilterResult,
  SUCCESS,
  unresolvable,
} from '../../framework/types.js';
import { SKIP } from '../helpers/status.js';

export const NODE_NAME = 'NodeName';
export const REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements PreFilterPlugin, FilterPlugin {
  readonly name = NODE_NAME;

  preFilter(_state: CycleState, pod: PodInfo): PreFilterResult | PluginStatus {
    const nodeName = pod.pod.spec?.nodeName;
    if (!nodeName) return SKIP;
    return { status: SUCCESS, nodeNames: new Set([nodeName]) };
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus {
    const nodeName = pod.pod.spec?.nodeName;
    if (!nodeName || nodeName === node.name) return SUCCESS;
    return unresolvable(REASON_NODE_NAME);
  }
}
