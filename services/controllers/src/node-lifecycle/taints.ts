/**
 * The taints the node lifecycle controller owns (unreachable and not-ready, NoExecute and
 * NoSchedule), derived from the node's Ready condition, and toleration matching as the
 * scheduler and the taint manager do it (v1helper.TolerationsTolerateTaint).
 */
import type { Node, Pod } from '@tkube/api';

export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];
export type Toleration = NonNullable<NonNullable<Pod['spec']>['tolerations']>[number];

export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
const OWNED_KEYS = new Set([UNREACHABLE_TAINT, NOT_READY_TAINT]);

/** The Ready condition's status; undefined while the kubelet has never posted one. */
export function readyStatus(node: Node): 'True' | 'False' | 'Unknown' | undefined {
  const status = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
  if (status === undefined) return undefined;
  return status === 'True' || status === 'False' ? status : 'Unknown';
}

/**
 * Which of our taint keys the node should carry: none when Ready (or not reported yet: the
 * grace period decides that), not-ready when False, unreachable when Unknown.
 */
export function wantedTaintKey(node: Node): string | undefined {
  const ready = readyStatus(node);
  if (ready === undefined || ready === 'True') return undefined;
  return ready === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT;
}

/**
 * The node's taints with ours set for its condition: foreign taints untouched, ours kept
 * as they are when already right (so timeAdded does not move), added with `now` otherwise.
 */
export function reconcileTaints(node: Node, now: Date): Taint[] {
  const current = node.spec?.taints ?? [];
  const key = wantedTaintKey(node);
  const foreign = current.filter((t) => !OWNED_KEYS.has(t.key));
  if (!key) return foreign;
  const ours = (['NoSchedule', 'NoExecute'] as const).map(
    (effect) =>
      current.find((t) => t.key === key && t.effect === effect) ?? { key, effect, timeAdded: now.toISOString() },
  );
  return [...foreign, ...ours];
}

export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (!toleration.key) return toleration.operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}
