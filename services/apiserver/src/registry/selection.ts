/**
 * Label and field selectors of a list or watch, parsed once into a predicate over objects.
 * Bad selectors and fields the kind does not support answer 400 before anything is read.
 */
import {
  checkFieldSelector,
  type KubeObject,
  parseFieldSelector,
  parseLabelSelector,
  type ResourceInfo,
  StatusError,
  selectableFields,
} from '@tkube/api';

export interface Selection {
  readonly everything: boolean;
  matches(object: KubeObject): boolean;
}

export function parseSelection(info: ResourceInfo, labelSelector?: string, fieldSelector?: string): Selection {
  const labels = labelSelector ? asBadRequest(() => parseLabelSelector(labelSelector)) : undefined;
  const fields = fieldSelector ? asBadRequest(() => parseFieldSelector(fieldSelector)) : undefined;
  if (fields) asBadRequest(() => checkFieldSelector(info, fields));
  const fieldsMatter = fields !== undefined && !fields.empty();
  return {
    everything: labels === undefined && !fieldsMatter,
    matches(object) {
      if (labels && !labels.matches(object.metadata?.labels ?? {})) return false;
      if (fieldsMatter && !fields.matches(selectableFields(info, object))) return false;
      return true;
    },
  };
}

/** Parsers throw StatusErrors already; anything else they throw is still the client's fault. */
function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw StatusError.badRequest(err instanceof Error ? err.message : String(err));
  }
}
