/**
 * Field selectors (`?fieldSelector=status.phase=Running`) as apimachinery's
 * fields.ParseSelector reads them, and the fields each kind offers to select on, as
 * kube-apiserver's registries do (pkg/registry/<group>/<resource>/strategy.go, GetAttrs and
 * ToSelectableFields; the accepted names are the field label conversion functions).
 */
import { StatusError } from './errors.js';
import type { ResourceInfo } from './resources.js';
import type { KubeObject } from './types.js';

export interface FieldRequirement {
  field: string;
  operator: '=' | '==' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: FieldRequirement[];
  /** A field the object does not have counts as the empty string, as fields.Set.Get does. */
  matches(fields: Record<string, string>): boolean;
  empty(): boolean;
}

class RequirementsFieldSelector implements FieldSelector {
  constructor(readonly requirements: FieldRequirement[]) {}

  matches(fields: Record<string, string>): boolean {
    return this.requirements.every((r) => {
      const actual = Object.hasOwn(fields, r.field) ? fields[r.field] : '';
      return r.operator === '!=' ? actual !== r.value : actual === r.value;
    });
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  /** The form Kubernetes prints: "==" as "=", values escaped. */
  toString(): string {
    return this.requirements
      .map((r) => `${r.field}${r.operator === '!=' ? '!=' : '='}${escapeFieldValue(r.value)}`)
      .join(',');
  }
}

/**
 * Parses "a=b,c!=d,e==f". A value may hold "\,", "\=" and "\\"; an unescaped "," or "="
 * in a value is an error. Throws StatusError BadRequest with Kubernetes' messages.
 */
export function parseFieldSelector(text: string): FieldSelector {
  // Kubernetes sorts the terms before parsing them.
  const terms = splitTerms(text).sort();
  const requirements: FieldRequirement[] = [];
  for (const term of terms) {
    if (term === '') continue;
    const split = splitTerm(term);
    if (!split) throw StatusError.badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    requirements.push({ field: split.field, operator: split.operator, value: unescapeFieldValue(split.value) });
  }
  return new RequirementsFieldSelector(requirements);
}

/** Splits on commas that are not escaped; the escapes stay for unescapeFieldValue. */
function splitTerms(text: string): string[] {
  if (text.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (escaped) escaped = false;
    else if (ch === '\\') escaped = true;
    else if (ch === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

/** The first operator in the term splits it; field names cannot hold escapes. */
function splitTerm(term: string): { field: string; operator: FieldRequirement['operator']; value: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const operator of TERM_OPERATORS) {
      if (term.startsWith(operator, i)) {
        return { field: term.slice(0, i), operator, value: term.slice(i + operator.length) };
      }
    }
  }
  return undefined;
}

function unescapeFieldValue(value: string): string {
  let result = '';
  let escaped = false;
  for (const ch of value) {
    if (escaped) {
      if (ch !== '\\' && ch !== ',' && ch !== '=') {
        throw StatusError.badRequest(`invalid field selector: invalid escape sequence: \\${ch}`);
      }
      result += ch;
      escaped = false;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === ',' || ch === '=') {
      throw StatusError.badRequest(`invalid field selector: unescaped character in value: ${ch}`);
    } else {
      result += ch;
    }
  }
  if (escaped) throw StatusError.badRequest('invalid field selector: invalid escape sequence: \\');
  return result;
}

function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

// ---- Selectable fields per kind ----

type FieldReader = (object: KubeObject) => string;

/** Reads a nested value as the string Kubernetes puts in its fields.Set. */
function read(object: unknown, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const stringAt =
  (...path: string[]): FieldReader =>
  (object) => {
    const value = read(object, ...path);
    return typeof value === 'string' ? value : '';
  };

/** Go's strconv.FormatBool of a bool that defaults to false. */
const flagAt =
  (...path: string[]): FieldReader =>
  (object) =>
    String(read(object, ...path) === true);

/** Go's strconv.Itoa of an int32 that defaults to 0. */
const countAt =
  (...path: string[]): FieldReader =>
  (object) => {
    const value = read(object, ...path);
    return typeof value === 'number' ? String(value) : '0';
  };

function podIP(object: KubeObject): string {
  const first = read(object, 'status', 'podIPs', '0', 'ip');
  if (typeof first === 'string') return first;
  const single = read(object, 'status', 'podIP');
  return typeof single === 'string' ? single : '';
}

/** An event's source is its source component, or the reporting controller for new events. */
function eventSource(object: KubeObject): string {
  return stringAt('source', 'component')(object) || stringAt('reportingComponent')(object);
}

/** The fields beyond metadata.name/namespace, keyed by "group/Kind". */
const KIND_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldReader>>>> = {
  '/Pod': {
    'spec.nodeName': stringAt('spec', 'nodeName'),
    'spec.restartPolicy': stringAt('spec', 'restartPolicy'),
    'spec.schedulerName': stringAt('spec', 'schedulerName'),
    'spec.serviceAccountName': stringAt('spec', 'serviceAccountName'),
    'spec.hostNetwork': flagAt('spec', 'hostNetwork'),
    'status.phase': stringAt('status', 'phase'),
    'status.podIP': podIP,
    'status.nominatedNodeName': stringAt('status', 'nominatedNodeName'),
  },
  '/Event': {
    'involvedObject.kind': stringAt('involvedObject', 'kind'),
    'involvedObject.namespace': stringAt('involvedObject', 'namespace'),
    'involvedObject.name': stringAt('involvedObject', 'name'),
    'involvedObject.uid': stringAt('involvedObject', 'uid'),
    'involvedObject.apiVersion': stringAt('involvedObject', 'apiVersion'),
    'involvedObject.resourceVersion': stringAt('involvedObject', 'resourceVersion'),
    'involvedObject.fieldPath': stringAt('involvedObject', 'fieldPath'),
    reason: stringAt('reason'),
    reportingComponent: stringAt('reportingComponent'),
    source: eventSource,
    type: stringAt('type'),
  },
  '/Node': { 'spec.unschedulable': flagAt('spec', 'unschedulable') },
  '/Secret': { type: stringAt('type') },
  '/Namespace': { 'status.phase': stringAt('status', 'phase') },
  '/Service': { 'spec.clusterIP': stringAt('spec', 'clusterIP'), 'spec.type': stringAt('spec', 'type') },
  'apps/ReplicaSet': { 'status.replicas': countAt('status', 'replicas') },
  'batch/Job': { 'status.successful': countAt('status', 'succeeded') },
};

function kindFields(info: ResourceInfo): Readonly<Record<string, FieldReader>> {
  return KIND_FIELDS[`${info.group}/${info.kind}`] ?? {};
}

/** The selectable fields of an object as kube-apiserver offers them per kind. */
export function selectableFields(info: ResourceInfo, object: KubeObject): Record<string, string> {
  const fields: Record<string, string> = { 'metadata.name': object.metadata?.name ?? '' };
  if (info.namespaced) fields['metadata.namespace'] = object.metadata?.namespace ?? '';
  for (const [name, readField] of Object.entries(kindFields(info))) fields[name] = readField(object);
  return fields;
}

/** Throws StatusError BadRequest `field label not supported: <field>` for fields the kind does not offer. */
export function checkFieldSelector(info: ResourceInfo, selector: FieldSelector): void {
  const offered = kindFields(info);
  for (const { field } of selector.requirements) {
    const supported =
      field === 'metadata.name' || (field === 'metadata.namespace' && info.namespaced) || Object.hasOwn(offered, field);
    if (!supported) throw StatusError.badRequest(`field label not supported: ${field}`);
  }
}
