/**
 * A pod's topology spread constraints, parsed once per cycle (podtopologyspread/common.go):
 * the selector compiled (with matchLabelKeys merged in), minDomains defaulted to 1, and the
 * node inclusion policies (nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore by default)
 * that decide which nodes count as domains.
 *
 * Kubernetes' system default constraints (spreading a Service's or ReplicaSet's pods when
 * the pod sets none) need those objects' selectors, which this plugin does not see: a pod
 * without constraints is not spread.
 */
import type { Node, Pod } from '@tkube/api';
import type { PodInfo } from '../../framework/types.js';
import { type Labels, labelValue, podLabels, podNamespace } from '../api-types.js';
import { LabelMatcher } from '../helpers/label-matcher.js';
import type { RequiredNodeAffinity } from '../helpers/node-affinity-matcher.js';
import { findUntoleratedTaint, isDoNotScheduleTaint } from '../helpers/tolerations.js';

export type Action = 'DoNotSchedule' | 'ScheduleAnyway';

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  readonly minDomains: number;
  readonly honorNodeAffinity: boolean;
  readonly honorNodeTaints: boolean;
}

/** The constraints of `pod` with this whenUnsatisfiable; throws StatusError for an invalid selector. */
export function spreadConstraintsOf(pod: Pod, action: Action): SpreadConstraint[] {
  const constraints: SpreadConstraint[] = [];
  const labels = podLabels(pod);
  for (const constraint of pod.spec?.topologySpreadConstraints ?? []) {
    if (constraint.whenUnsatisfiable !== action) continue;
    let selector = LabelMatcher.compile(constraint.labelSelector);
    const keys = constraint.matchLabelKeys ?? [];
    if (keys.length > 0) {
      const matchLabels: Record<string, string> = {};
      for (const key of keys) {
        const value = labelValue(labels, key);
        if (value !== undefined) matchLabels[key] = value;
      }
      selector = selector.withLabels(matchLabels);
    }
    constraints.push({
      maxSkew: constraint.maxSkew,
      topologyKey: constraint.topologyKey,
      selector,
      minDomains: constraint.minDomains ?? 1,
      honorNodeAffinity: (constraint.nodeAffinityPolicy ?? 'Honor') === 'Honor',
      honorNodeTaints: (constraint.nodeTaintsPolicy ?? 'Ignore') === 'Honor',
    });
  }
  return constraints;
}

/** Whether the node has every constraint's topology label. */
export function nodeHasAllTopologyKeys(labels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (let i = 0; i < constraints.length; i++) {
    if (labelValue(labels, constraints[i].topologyKey) === undefined) return false;
  }
  return true;
}

/** Whether the node is a domain of this constraint for `pod` under its inclusion policies. */
export function nodeIncluded(
  constraint: SpreadConstraint,
  pod: Pod,
  node: Node,
  requiredNodeAffinity: RequiredNodeAffinity,
): boolean {
  if (constraint.honorNodeAffinity && !requiredNodeAffinity.matches(node)) return false;
  if (
    constraint.honorNodeTaints &&
    findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint) !== undefined
  ) {
    return false;
  }
  return true;
}

/**
 * The pods the selector picks among `pods`: same namespace as the incoming pod, not
 * terminating; an empty selector picks none, as in Kubernetes.
 */
export function countMatchingPods(pods: readonly PodInfo[], selector: LabelMatcher, namespace: string): number {
  if (selector.empty) return 0;
  let count = 0;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i].pod;
    if (pod.metadata?.deletionTimestamp || podNamespace(pod) !== namespace) continue;
    if (selector.matches(podLabels(pod))) count++;
  }
  return count;
}
