/**
 * Which pods to delete first when scaling down (kube's ActivePodsWithRanks): the least
 * valuable go first, so a scale-down never takes a serving pod while a useless one lives.
 */
import type { Pod } from '@tkube/api';
import { isPodReady, readySince } from './pod-state.js';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((status) => status.restartCount ?? 0));
}

function created(pod: Pod): number {
  return Date.parse(pod.metadata?.creationTimestamp ?? '') || 0;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: Pod, b: Pod): number {
  // Unassigned before assigned.
  const assigned = Number(Boolean(a.spec?.nodeName)) - Number(Boolean(b.spec?.nodeName));
  if (assigned !== 0) return assigned;
  // Pending before Unknown before Running.
  const phase = (PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0) - (PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0);
  if (phase !== 0) return phase;
  // Not ready before ready.
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  // Ready for less time before ready for longer.
  const sinceA = readySince(a);
  const sinceB = readySince(b);
  if (sinceA !== undefined && sinceB !== undefined && sinceA !== sinceB) return sinceB - sinceA;
  // More restarts before fewer.
  const restarted = restarts(b) - restarts(a);
  if (restarted !== 0) return restarted;
  // Newer before older.
  return created(b) - created(a);
}

export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}
