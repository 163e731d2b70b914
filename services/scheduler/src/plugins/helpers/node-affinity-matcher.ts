/**
 * Node selectors compiled once per pod, after component-helpers' nodeaffinity package:
 * `RequiredNodeAffinity` is the pod's nodeSelector AND its required node affinity (terms
 * ORed, requirements within a term ANDed); `PreferredSchedulingTerms` sums the weights of the
 * preferred terms a node matches. Matching allocates nothing.
 *
 * As in Kubernetes, an empty term selects no node, and a term that does not parse (a Gt
 * without an integer, an unknown operator) matches no node instead of failing the pod.
 */
import type { Node, Pod } from '@tkube/api';
import {
  type Labels,
  labelValue,
  type NodeSelector,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
  nodeLabels,
  type PreferredSchedulingTerm,
} from '../api-types.js';

type LabelOp = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';

interface LabelRequirement {
  readonly key: string;
  readonly op: LabelOp;
  readonly values: readonly string[];
  /** The integer of Gt and Lt. */
  readonly bound: number;
}

interface FieldRequirement {
  readonly key: string;
  readonly op: 'In' | 'NotIn';
  readonly value: string;
}

interface CompiledTerm {
  readonly labels: readonly LabelRequirement[];
  readonly fields: readonly FieldRequirement[];
  /** Set when the term does not parse: it then matches nothing. */
  readonly invalid: boolean;
}

/** The only field a node selector can name. */
export const NODE_NAME_FIELD = 'metadata.name';

const INTEGER = /^[+-]?\d+$/;

function compileLabelRequirement(requirement: NodeSelectorRequirement): LabelRequirement | undefined {
  const values = requirement.values ?? [];
  const { key, operator } = requirement;
  switch (operator) {
    case 'In':
    case 'NotIn':
      return values.length === 0 ? undefined : { key, op: operator, values: [...values], bound: 0 };
    case 'Exists':
    case 'DoesNotExist':
      return values.length !== 0 ? undefined : { key, op: operator, values: [], bound: 0 };
    case 'Gt':
    case 'Lt':
      if (values.length !== 1 || !INTEGER.test(values[0])) return undefined;
      return { key, op: operator, values: [], bound: Number(values[0]) };
    default:
      return undefined;
  }
}

function compileFieldRequirement(requirement: NodeSelectorRequirement): FieldRequirement | undefined {
  const values = requirement.values ?? [];
  if ((requirement.operator !== 'In' && requirement.operator !== 'NotIn') || values.length !== 1) return undefined;
  return { key: requirement.key, op: requirement.operator, value: values[0] };
}

function isEmptyTerm(term: NodeSelectorTerm | undefined): boolean {
  return !term || ((term.matchExpressions ?? []).length === 0 && (term.matchFields ?? []).length === 0);
}

function compileTerm(term: NodeSelectorTerm): CompiledTerm {
  const labels: LabelRequirement[] = [];
  const fields: FieldRequirement[] = [];
  let invalid = false;
  for (const requirement of term.matchExpressions ?? []) {
    const compiled = compileLabelRequirement(requirement);
    if (compiled) labels.push(compiled);
    else invalid = true;
  }
  for (const requirement of term.matchFields ?? []) {
    const compiled = compileFieldRequirement(requirement);
    if (compiled) fields.push(compiled);
    else invalid = true;
  }
  return { labels, fields, invalid };
}

function labelRequirementMatches(requirement: LabelRequirement, labels: Labels): boolean {
  const value = labelValue(labels, requirement.key);
  switch (requirement.op) {
    case 'In':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || !INTEGER.test(value)) return false;
      const actual = Number(value);
      return requirement.op === 'Gt' ? actual > requirement.bound : actual < requirement.bound;
    }
  }
}

function termMatches(term: CompiledTerm, node: Node): boolean {
  if (term.invalid) return false;
  const labels = nodeLabels(node);
  for (let i = 0; i < term.labels.length; i++) {
    if (!labelRequirementMatches(term.labels[i], labels)) return false;
  }
  const name = node.metadata?.name ?? '';
  for (let i = 0; i < term.fields.length; i++) {
    const field = term.fields[i];
    const actual = field.key === NODE_NAME_FIELD ? name : '';
    if ((actual === field.value) !== (field.op === 'In')) return false;
  }
  return true;
}

function compileTerms(selector: NodeSelector): CompiledTerm[] {
  return (selector.nodeSelectorTerms ?? []).filter((term) => !isEmptyTerm(term)).map(compileTerm);
}

/** The pod's nodeSelector AND required node affinity (nodeaffinity.GetRequiredNodeAffinity). */
export class RequiredNodeAffinity {
  private constructor(
    private readonly selector: readonly (readonly [string, string])[],
    /** Undefined when the pod has no required node affinity. */
    private readonly terms: readonly CompiledTerm[] | undefined,
  ) {}

  static of(pod: Pod): RequiredNodeAffinity {
    const selector = Object.entries(pod.spec?.nodeSelector ?? {});
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    return new RequiredNodeAffinity(selector, required ? compileTerms(required) : undefined);
  }

  /** True when the pod constrains nothing: every node matches. */
  get isEmpty(): boolean {
    return this.selector.length === 0 && this.terms === undefined;
  }

  matches(node: Node): boolean {
    if (this.selector.length > 0) {
      const labels = nodeLabels(node);
      for (let i = 0; i < this.selector.length; i++) {
        const [key, value] = this.selector[i];
        if (labelValue(labels, key) !== value) return false;
      }
    }
    const terms = this.terms;
    if (terms === undefined) return true;
    for (let i = 0; i < terms.length; i++) {
      if (termMatches(terms[i], node)) return true;
    }
    return false;
  }
}

interface WeightedTerm {
  readonly term: CompiledTerm;
  readonly weight: number;
}

/** nodeaffinity.PreferredSchedulingTerms: terms of weight 0 or without requirements count for nothing. */
export class PreferredSchedulingTerms {
  private constructor(private readonly terms: readonly WeightedTerm[]) {}

  static of(terms: readonly PreferredSchedulingTerm[] | undefined): PreferredSchedulingTerms {
    const compiled: WeightedTerm[] = [];
    for (const term of terms ?? []) {
      if (!term.weight || isEmptyTerm(term.preference)) continue;
      compiled.push({ term: compileTerm(term.preference), weight: term.weight });
    }
    return new PreferredSchedulingTerms(compiled);
  }

  get isEmpty(): boolean {
    return this.terms.length === 0;
  }

  /** The sum of the weights of the terms the node matches. */
  score(node: Node): number {
    let total = 0;
    for (let i = 0; i < this.terms.length; i++) {
      if (termMatches(this.terms[i].term, node)) total += this.terms[i].weight;
    }
    return total;
  }
}
