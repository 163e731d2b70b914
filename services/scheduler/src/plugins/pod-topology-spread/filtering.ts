/**
 * PodTopologySpread's filtering (podtopologyspread/filtering.go): PreFilter counts the
 * matching pods of every domain (topology value) of each DoNotSchedule constraint and the
 * global minimum; Filter then checks, per node, that placing the pod keeps
 * `matching in the node's domain + 1 (if the pod matches itself) - global minimum <= maxSkew`.
 */
import type { Pod } from '@tkube/api';
import type { NodeInfo } from '../../framework/types.js';
import { labelValue, nodeLabels, podLabels, podNamespace } from '../api-types.js';
import type { RequiredNodeAffinity } from '../helpers/node-affinity-matcher.js';
import { countMatchingPods, nodeHasAllTopologyKeys, nodeIncluded, type SpreadConstraint } from './constraints.js';

export const REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const REASON_NODE_LABEL_NOT_MATCH = `${REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const NO_DOMAIN_MINIMUM = 2 ** 31 - 1;

export interface FilterState {
  readonly constraints: readonly SpreadConstraint[];
  /** Per constraint: matching pods per topology value (eligible domains only). */
  readonly counts: readonly Map<string, number>[];
  /** Per constraint: the smallest count of a domain, taking minDomains into account. */
  readonly minMatch: readonly number[];
  /** Per constraint: 1 when the incoming pod matches the selector itself. */
  readonly selfMatch: readonly number[];
}

export function computeFilterState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  nodes: readonly NodeInfo[],
  requiredNodeAffinity: RequiredNodeAffinity,
): FilterState {
  const counts = constraints.map(() => new Map<string, number>());
  const namespace = podNamespace(pod);
  for (const nodeInfo of nodes) {
    const labels = nodeLabels(nodeInfo.node);
    if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const constraint = constraints[i];
      if (!nodeIncluded(constraint, pod, nodeInfo.node, requiredNodeAffinity)) continue;
      const value = labelValue(labels, constraint.topologyKey) ?? '';
      const matching = countMatchingPods(nodeInfo.pods, constraint.selector, namespace);
      counts[i].set(value, (counts[i].get(value) ?? 0) + matching);
    }
  }
  const minMatch = constraints.map((constraint, i) => {
    // Fewer eligible domains than minDomains: the global minimum is taken as 0.
    if (counts[i].size < constraint.minDomains) return 0;
    let min = NO_DOMAIN_MINIMUM;
    for (const count of counts[i].values()) if (count < min) min = count;
    return min;
  });
  const labels = podLabels(pod);
  const selfMatch = constraints.map((constraint) => (constraint.selector.matches(labels) ? 1 : 0));
  return { constraints, counts, minMatch, selfMatch };
}

/** Undefined when the node fits every constraint, else the reason and whether it is resolvable. */
export function spreadViolation(
  state: FilterState,
  nodeInfo: NodeInfo,
): { reason: string; unresolvable: boolean } | undefined {
  const labels = nodeLabels(nodeInfo.node);
  const constraints = state.constraints;
  for (let i = 0; i < constraints.length; i++) {
    const value = labelValue(labels, constraints[i].topologyKey);
    if (value === undefined) return MISSING_LABEL;
    const skew = (state.counts[i].get(value) ?? 0) + state.selfMatch[i] - state.minMatch[i];
    if (skew > constraints[i].maxSkew) return SKEW_TOO_LARGE;
  }
  return undefined;
}

const MISSING_LABEL = Object.freeze({ reason: REASON_NODE_LABEL_NOT_MATCH, unresolvable: true });
const SKEW_TOO_LARGE = Object.freeze({ reason: REASON_CONSTRAINTS_NOT_MATCH, unresolvable: false });
