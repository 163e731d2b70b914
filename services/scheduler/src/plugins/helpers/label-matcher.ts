/**
 * A structured LabelSelector compiled once into a matcher that allocates nothing per call:
 * the plugins test thousands of pods per scheduling cycle against the same selector.
 *
 * Semantics are metav1.LabelSelectorAsSelector's: a null selector selects nothing, an empty
 * one everything; an invalid one throws the StatusError of `labelSelectorToSelector`.
 */
import { type LabelSelector, labelSelectorToSelector } from '@tkube/api';
import { type Labels, labelValue } from '../api-types.js';

type Op = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

interface Requirement {
  readonly key: string;
  readonly op: Op;
  readonly values: readonly string[];
}

const OPERATORS: ReadonlySet<string> = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

export class LabelMatcher {
  private constructor(
    private readonly requirements: readonly Requirement[],
    /** Null selector: matches nothing. */
    private readonly nothing: boolean,
  ) {}

  static readonly NOTHING = new LabelMatcher([], true);
  static readonly EVERYTHING = new LabelMatcher([], false);

  /** Throws StatusError (BadRequest) for an invalid selector, as Kubernetes refuses it. */
  static compile(selector: LabelSelector | null | undefined): LabelMatcher {
    if (selector === null || selector === undefined) return LabelMatcher.NOTHING;
    labelSelectorToSelector(selector); // validation only: throws Kubernetes' message
    const requirements: Requirement[] = [];
    for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
      requirements.push({ key, op: 'In', values: [value] });
    }
    for (const expression of selector.matchExpressions ?? []) {
      // labelSelectorToSelector has refused any other operator.
      const op = (OPERATORS.has(expression.operator) ? expression.operator : 'In') as Op;
      requirements.push({ key: expression.key, op, values: [...(expression.values ?? [])] });
    }
    return requirements.length === 0 ? LabelMatcher.EVERYTHING : new LabelMatcher(requirements, false);
  }

  /** This matcher with `key=value` requirements added (matchLabelKeys of topology spread). */
  withLabels(extra: Labels): LabelMatcher {
    const added = Object.entries(extra).map(([key, value]): Requirement => ({ key, op: 'In', values: [value] }));
    if (added.length === 0 || this.nothing) return this;
    return new LabelMatcher([...added, ...this.requirements], false);
  }

  /** True when it selects every object (labels.Selector.Empty()). */
  get empty(): boolean {
    return !this.nothing && this.requirements.length === 0;
  }

  matches(labels: Labels): boolean {
    if (this.nothing) return false;
    const requirements = this.requirements;
    for (let i = 0; i < requirements.length; i++) {
      const requirement = requirements[i];
      const value = labelValue(labels, requirement.key);
      switch (requirement.op) {
        case 'In':
          if (value === undefined || !requirement.values.includes(value)) return false;
          break;
        case 'NotIn':
          if (value !== undefined && requirement.values.includes(value)) return false;
          break;
        case 'Exists':
          if (value === undefined) return false;
          break;
        case 'DoesNotExist':
          if (value !== undefined) return false;
          break;
      }
    }
    return true;
  }
}
