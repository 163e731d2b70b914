/**
 * The PodScheduled condition the scheduler writes on a pod it cannot place: status False,
 * reason Unschedulable (or SchedulerError), and the same message as the FailedScheduling
 * event. Written through the status subresource as a strategic merge patch of that one
 * condition (kube's util.PatchPodStatus), and only when it differs from what the pod
 * already says, so a pod retried every ten seconds does not rewrite itself every time.
 */
import type { Pod } from '@tkube/api';

export const REASON_UNSCHEDULABLE = 'Unschedulable';
export const REASON_SCHEDULER_ERROR = 'SchedulerError';

export interface PodScheduledCondition {
  type: 'PodScheduled';
  status: 'False';
  reason: string;
  message: string;
}

/** What the writer needs of the apiserver: a status patch. */
export interface PodStatusPatcher {
  patchStatus(namespace: string, name: string, patch: unknown): Promise<unknown>;
}

/** The patch to send, or undefined when the pod already carries this condition. */
export function podScheduledPatch(pod: Pod, condition: PodScheduledCondition, now: Date): unknown {
  const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (
    current &&
    current.status === condition.status &&
    current.reason === condition.reason &&
    current.message === condition.message
  ) {
    return undefined;
  }
  const transition =
    current && current.status === condition.status && current.lastTransitionTime
      ? String(current.lastTransitionTime)
      : now.toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    status: {
      conditions: [{ ...condition, lastProbeTime: null, lastTransitionTime: transition }],
    },
  };
}

export class PodConditionWriter {
  constructor(
    private readonly patcher: PodStatusPatcher,
    private readonly onError: (err: unknown, pod: Pod) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Writes the condition unless the pod has it; never throws (the next attempt writes again). */
  markUnschedulable(pod: Pod, reason: string, message: string): void {
    const patch = podScheduledPatch(pod, { type: 'PodScheduled', status: 'False', reason, message }, this.now());
    if (patch === undefined) return;
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    this.patcher.patchStatus(namespace, name, patch).catch((err: unknown) => this.onError(err, pod));
  }
}
