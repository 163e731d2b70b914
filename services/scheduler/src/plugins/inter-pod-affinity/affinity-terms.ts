/**
 * A pod's inter-pod (anti-)affinity terms, parsed once (framework.AffinityTerm): the label
 * selector compiled, the namespaces resolved. Parsed terms are kept per Pod object, so the
 * pods already on nodes are parsed once, not once per scheduling cycle.
 *
 * Namespaces: a term with neither `namespaces` nor `namespaceSelector` means the pod's own
 * namespace; `namespaceSelector: {}` means every namespace; other selectors are matched
 * against the labels of the candidate pod's namespace, as given by a lookup (by default
 * only the `kubernetes.io/metadata.name` label every namespace carries).
 */
import type { Pod } from '@tkube/api';
import {
  type Labels,
  type PodAffinityTerm,
  podLabels,
  podNamespace,
  type WeightedPodAffinityTerm,
} from '../api-types.js';
import { LabelMatcher } from '../helpers/label-matcher.js';

/** The labels of a namespace by name, for namespaceSelector. */
export type NamespaceLabels = (namespace: string) => Labels;

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

const defaultLabelsByNamespace = new Map<string, Labels>();

/** What every namespace is labelled with by the apiserver: its own name. */
export function defaultNamespaceLabels(namespace: string): Labels {
  let labels = defaultLabelsByNamespace.get(namespace);
  if (!labels) {
    labels = Object.freeze({ [NAMESPACE_NAME_LABEL]: namespace });
    defaultLabelsByNamespace.set(namespace, labels);
  }
  return labels;
}

export class AffinityTerm {
  /** This term as a one-term list, one object per term: a stable cache key. */
  readonly alone: readonly AffinityTerm[] = [this];

  constructor(
    readonly namespaces: readonly string[],
    readonly namespaceSelector: LabelMatcher,
    readonly selector: LabelMatcher,
    readonly topologyKey: string,
    readonly weight: number,
  ) {}

  /** Whether matching depends on namespace labels (a namespaceSelector other than none or `{}`). */
  get readsNamespaceLabels(): boolean {
    return this.namespaceSelector !== LabelMatcher.NOTHING && !this.namespaceSelector.empty;
  }

  static parse(pod: Pod, term: PodAffinityTerm, weight = 0): AffinityTerm {
    const namespaces =
      (term.namespaces ?? []).length === 0 && !term.namespaceSelector
        ? [podNamespace(pod)]
        : [...(term.namespaces ?? [])];
    return new AffinityTerm(
      namespaces,
      LabelMatcher.compile(term.namespaceSelector),
      LabelMatcher.compile(term.labelSelector),
      term.topologyKey,
      weight,
    );
  }

  /** Whether `pod` is one this term selects (AffinityTerm.Matches). */
  matches(pod: Pod, namespaceLabels: NamespaceLabels): boolean {
    const namespace = podNamespace(pod);
    if (!this.namespaces.includes(namespace) && !this.namespaceSelector.matches(namespaceLabels(namespace))) {
      return false;
    }
    return this.selector.matches(podLabels(pod));
  }
}

export interface PodAffinityTerms {
  readonly requiredAffinity: readonly AffinityTerm[];
  readonly requiredAntiAffinity: readonly AffinityTerm[];
  readonly preferredAffinity: readonly AffinityTerm[];
  readonly preferredAntiAffinity: readonly AffinityTerm[];
}

const NO_TERMS: PodAffinityTerms = Object.freeze({
  requiredAffinity: [],
  requiredAntiAffinity: [],
  preferredAffinity: [],
  preferredAntiAffinity: [],
});

const parsedByPod = new WeakMap<Pod, PodAffinityTerms>();

/**
 * Parsed terms shared by every pod with the same terms in the same namespace (the replicas
 * of a Deployment): one object in memory, so walking ten thousand placed pods touches one
 * term, and a term's match against the incoming pod can be reused from pod to pod.
 */
const internedTerms = new Map<string, PodAffinityTerms>();
const MAX_INTERNED = 10_000;

function parseWeighted(pod: Pod, terms: readonly WeightedPodAffinityTerm[] | undefined): AffinityTerm[] {
  return (terms ?? []).map((term) => AffinityTerm.parse(pod, term.podAffinityTerm, term.weight));
}

/** The pod's terms; throws StatusError when a selector is invalid. */
export function parseAffinityTerms(pod: Pod): PodAffinityTerms {
  const affinity = pod.spec?.affinity;
  if (!affinity?.podAffinity && !affinity?.podAntiAffinity) return NO_TERMS;
  const key = `${podNamespace(pod)}\u0000${JSON.stringify(affinity.podAffinity ?? null)}\u0000${JSON.stringify(affinity.podAntiAffinity ?? null)}`;
  const interned = internedTerms.get(key);
  if (interned) return interned;
  const podAffinity = affinity.podAffinity;
  const anti = affinity.podAntiAffinity;
  const terms: PodAffinityTerms = {
    requiredAffinity: (podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term) =>
      AffinityTerm.parse(pod, term),
    ),
    requiredAntiAffinity: (anti?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((term) =>
      AffinityTerm.parse(pod, term),
    ),
    preferredAffinity: parseWeighted(pod, podAffinity?.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: parseWeighted(pod, anti?.preferredDuringSchedulingIgnoredDuringExecution),
  };
  if (internedTerms.size >= MAX_INTERNED) internedTerms.clear();
  internedTerms.set(key, terms);
  return terms;
}

/**
 * The terms of a pod already placed, parsed once per Pod object. A pod whose terms do not
 * parse (the apiserver validates them, so only a corrupt object) counts as having none.
 */
export function affinityTermsOf(pod: Pod): PodAffinityTerms {
  let terms = parsedByPod.get(pod);
  if (!terms) {
    try {
      terms = parseAffinityTerms(pod);
    } catch {
      terms = NO_TERMS;
    }
    parsedByPod.set(pod, terms);
  }
  return terms;
}

/**
 * Whether terms select one pod (the incoming one), remembering the last answer: placed pods
 * usually share their terms (see internedTerms), so most checks are one comparison.
 */
export class TermMatchMemo {
  private lastTerm: AffinityTerm | undefined;
  private lastMatch = false;

  constructor(
    private readonly pod: Pod,
    private readonly namespaceLabels: NamespaceLabels,
  ) {}

  matches(term: AffinityTerm): boolean {
    if (term !== this.lastTerm) {
      this.lastTerm = term;
      this.lastMatch = term.matches(this.pod, this.namespaceLabels);
    }
    return this.lastMatch;
  }
}

/** True when `pod` matches every term (and there is at least one). */
export function podMatchesAllTerms(
  terms: readonly AffinityTerm[],
  pod: Pod,
  namespaceLabels: NamespaceLabels,
): boolean {
  if (terms.length === 0) return false;
  for (let i = 0; i < terms.length; i++) if (!terms[i].matches(pod, namespaceLabels)) return false;
  return true;
}
