/**
 * NodeUnschedulable (nodeunschedulable/node_unschedulable.go): a cordoned node
 * (spec.unschedulable) takes only pods that tolerate node.kubernetes.io/unschedulable:NoSchedule,
 * the taint the node lifecycle controller puts on it.
 */
import {
  type CycleState,
  type FilterPlugin,
  type NodeInfo,
  type PluginStatus,
  type PodInfo,
  SUCCESS,
  unresolvable,
} from '../../framework/types.js';
import type { Taint } from '../api-types.js';
import { tolerationsTolerateTaint } from '../helpers/tolerations.js';

export const NODE_UNSCHEDULABLE = 'NodeUnschedulable';
export const REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: Taint = Object.freeze({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });

export class NodeUnschedulable implements FilterPlugin {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus {
    if (!node.node.spec?.unschedulable) return SUCCESS;
    if (tolerationsTolerateTaint(pod.pod.spec?.tolerations, UNSCHEDULABLE_TAINT)) return SUCCESS;
    return unresolvable(REASON_UNSCHEDULABLE);
  }
}
