/**
 * NodePorts (nodeports/node_ports.go): a host port can be taken once per node, protocol and
 * address; 0.0.0.0 (every address) conflicts with any address on the same port and protocol.
 */
import {
  type CycleState,
  type FilterPlugin,
  type HostPort,
  type NodeInfo,
  type PluginStatus,
  type PodInfo,
  type PreFilterPlugin,
  SUCCESS,
  unschedulable,
} from '../../framework/types.js';
import { SKIP } from '../helpers/status.js';
import { DEFAULT_BIND_ALL_HOST_IP, DEFAULT_PROTOCOL } from '../pod-info.js';

export const NODE_PORTS = 'NodePorts';
export const REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

/** HostPortInfo.CheckConflict against a flat list of the node's used ports. */
export function portConflicts(used: readonly HostPort[], wanted: HostPort): boolean {
  if (wanted.port <= 0) return false;
  const ip = wanted.hostIP || DEFAULT_BIND_ALL_HOST_IP;
  const protocol = wanted.protocol || DEFAULT_PROTOCOL;
  for (let i = 0; i < used.length; i++) {
    const taken = used[i];
    if (taken.port !== wanted.port || (taken.protocol || DEFAULT_PROTOCOL) !== protocol) continue;
    const takenIp = taken.hostIP || DEFAULT_BIND_ALL_HOST_IP;
    if (ip === DEFAULT_BIND_ALL_HOST_IP || takenIp === DEFAULT_BIND_ALL_HOST_IP || takenIp === ip) return true;
  }
  return false;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin {
  readonly name = NODE_PORTS;

  preFilter(_state: CycleState, pod: PodInfo): PluginStatus {
    return pod.hostPorts.length === 0 ? SKIP : SUCCESS;
  }

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): PluginStatus {
    const wanted = pod.hostPorts;
    for (let i = 0; i < wanted.length; i++) {
      if (portConflicts(node.usedPorts, wanted[i])) return unschedulable(REASON_NODE_PORTS);
    }
    return SUCCESS;
  }
}
