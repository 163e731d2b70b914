/**
 * The conditions the kubelet owns (kube's pkg/kubelet/status/generate.go): PodScheduled
 * (kept True: the pod is on this node), PodReadyToStartContainers (a ready sandbox with
 * networking), Initialized, ContainersReady and Ready, with kube's reasons and messages.
 * lastTransitionTime moves only when a condition's status changes.
 */
import type { Pod } from '@tkube/api';
import type { ContainerStatus } from './container-statuses.js';
import type { PodPhase } from './pod-phase.js';

export type PodCondition = NonNullable<NonNullable<Pod['status']>['conditions']>[number];

export const KUBELET_CONDITIONS = [
  'PodScheduled',
  'PodReadyToStartContainers',
  'Initialized',
  'ContainersReady',
  'Ready',
] as const;

export interface ConditionInput {
  pod: Pod;
  phase: PodPhase;
  statuses: ContainerStatus[];
  initStatuses: ContainerStatus[];
  sandboxReady: boolean;
  previous: PodCondition[];
  now: string;
}

export function podConditions(input: ConditionInput): PodCondition[] {
  const { pod, phase } = input;
  const conditions: PodCondition[] = [];
  const add = (type: string, ok: boolean, reason?: string, message?: string) => {
    const condition: PodCondition = { type, status: ok ? 'True' : 'False' };
    if (!ok && reason) condition.reason = reason;
    if (!ok && message) condition.message = message;
    conditions.push(condition);
  };

  add('PodReadyToStartContainers', input.sandboxReady);

  const initNames = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const incompleteInit = initNames.filter((name) => {
    const status = input.initStatuses.find((s) => s.name === name);
    return !(status?.state?.terminated && status.state.terminated.exitCode === 0);
  });
  const initialized = incompleteInit.length === 0 || phase === 'Running' || phase === 'Succeeded';
  add(
    'Initialized',
    initialized,
    'ContainersNotInitialized',
    `containers with incomplete status: [${incompleteInit.join(' ')}]`,
  );

  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  const unready = names.filter((name) => !input.statuses.find((s) => s.name === name)?.ready);
  if (phase === 'Succeeded' || phase === 'Failed') {
    add('ContainersReady', false, 'PodCompleted');
    add('Ready', false, 'PodCompleted');
  } else if (!initialized) {
    const message = `containers with incomplete status: [${incompleteInit.join(' ')}]`;
    add('ContainersReady', false, 'ContainersNotInitialized', message);
    add('Ready', false, 'ContainersNotInitialized', message);
  } else {
    const message = `containers with unready status: [${unready.join(' ')}]`;
    add('ContainersReady', unready.length === 0, 'ContainersNotReady', message);
    const gates = (pod.spec?.readinessGates ?? []).map((g) => g.conditionType);
    const gatesFailing = gates.filter((type) => input.previous.find((c) => c.type === type)?.status !== 'True');
    if (unready.length > 0) add('Ready', false, 'ContainersNotReady', message);
    else if (gatesFailing.length > 0) {
      add(
        'Ready',
        false,
        'ReadinessGatesNotReady',
        `corresponding condition of pod readiness gate "${gatesFailing[0]}" does not exist.`,
      );
    } else add('Ready', true);
  }
  conditions.push({ type: 'PodScheduled', status: 'True' });

  for (const condition of conditions) {
    const old = input.previous.find((c) => c.type === condition.type);
    condition.lastProbeTime = null as unknown as undefined;
    condition.lastTransitionTime =
      old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : input.now;
  }
  // Conditions others own (DisruptionTarget, readiness gates) stay as they are.
  const owned = new Set<string>(KUBELET_CONDITIONS);
  return [...conditions, ...input.previous.filter((c) => !owned.has(c.type))];
}
