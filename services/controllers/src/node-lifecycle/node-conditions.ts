/**
 * What the controller writes on a node whose kubelet went silent (kube's
 * tryUpdateNodeHealth): every condition becomes Unknown, and the standard ones the kubelet
 * never posted are added as Unknown.
 */
import type { Node } from '@tkube/api';

type NodeCondition = NonNullable<NonNullable<Node['status']>['conditions']>[number];

const STANDARD_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export const NODE_STATUS_UNKNOWN = 'NodeStatusUnknown';
export const STOPPED_POSTING_MESSAGE = 'Kubelet stopped posting node status.';

/** The node's conditions all turned Unknown; the same array back when nothing changes. */
export function unknownConditions(node: Node, now: Date): NodeCondition[] {
  const current = node.status?.conditions ?? [];
  const stamp = now.toISOString();
  const updated = current.map((condition) =>
    condition.status === 'Unknown'
      ? condition
      : {
          ...condition,
          status: 'Unknown',
          reason: NODE_STATUS_UNKNOWN,
          message: STOPPED_POSTING_MESSAGE,
          lastTransitionTime: stamp,
        },
  );
  for (const type of STANDARD_CONDITIONS) {
    if (current.some((c) => c.type === type)) continue;
    updated.push({
      type,
      status: 'Unknown',
      reason: 'NodeStatusNeverUpdated',
      message: 'Kubelet never posted node status.',
      lastHeartbeatTime: stamp,
      lastTransitionTime: stamp,
    });
  }
  return updated;
}

export function allUnknown(node: Node): boolean {
  const conditions = node.status?.conditions ?? [];
  return (
    STANDARD_CONDITIONS.every((type) => conditions.some((c) => c.type === type)) &&
    conditions.every((c) => c.status === 'Unknown')
  );
}
