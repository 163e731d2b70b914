/**
 * Checks a decoded object against its kind's fields, as kube-apiserver's strict decoder
 * does: fields the kind does not have (reported under fieldValidation=Strict/Warn) and
 * values of the wrong JSON type (always a decoding error). `null` is accepted anywhere,
 * as Go's decoder treats it as "unset".
 */
import type { ResourceInfo } from '../resources.js';
import { modelNameOf } from './definition-names.js';
import { modelAttributes } from './models.js';
import { parseTypeExpression, type TypeNode } from './type-expression.js';

export interface FieldTypeError {
  /** ".spec.replicas" */
  path: string;
  /** What the field holds: "int32", "string", "object", "array" ... */
  expected: string;
  /** What was found: "string", "number", "boolean", "object", "array". */
  found: string;
}

interface Findings {
  unknown: string[];
  typeErrors: FieldTypeError[];
  /** Delete unknown fields where they are found. */
  prune: boolean;
  /** The value is a merge or strategic-merge patch: `$`-prefixed directive keys are not fields. */
  patch: boolean;
}

export interface FieldCheckOptions {
  /**
   * Check a merge or strategic-merge patch rather than an object: directive keys
   * (`$patch`, `$retainKeys`, `$setElementOrder/...`, `$deleteFromPrimitiveList/...`) are skipped.
   */
  patch?: boolean;
}

function jsonTypeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fieldMaps = new Map<string, Map<string, TypeNode>>();

function fieldsOf(modelName: string): Map<string, TypeNode> {
  let fields = fieldMaps.get(modelName);
  if (!fields) {
    fields = new Map();
    for (const attribute of modelAttributes(modelName) ?? []) {
      fields.set(attribute.baseName, parseTypeExpression(attribute.type, attribute.format));
    }
    fieldMaps.set(modelName, fields);
  }
  return fields;
}

function check(node: TypeNode, value: unknown, path: string, findings: Findings): void {
  if (value === null || value === undefined) return;
  const mismatch = (expected: string): void => {
    findings.typeErrors.push({ path, expected, found: jsonTypeOf(value) });
  };
  switch (node.kind) {
    case 'string':
    case 'date-time':
      if (typeof value !== 'string') mismatch('string');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) mismatch(node.format);
      return;
    case 'number':
      if (typeof value !== 'number') mismatch('number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch('bool');
      return;
    case 'int-or-string':
      if (typeof value !== 'string' && !(typeof value === 'number' && Number.isInteger(value))) mismatch('IntOrString');
      return;
    case 'free-form':
      return;
    case 'array':
      if (!Array.isArray(value)) {
        mismatch('array');
        return;
      }
      for (const [index, item] of value.entries()) check(node.items, item, `${path}[${index}]`, findings);
      return;
    case 'map':
      if (!isPlainObject(value)) {
        mismatch('object');
        return;
      }
      for (const [key, item] of Object.entries(value)) check(node.values, item, `${path}.${key}`, findings);
      return;
    case 'model': {
      if (!isPlainObject(value)) {
        mismatch('object');
        return;
      }
      const fields = fieldsOf(node.name);
      for (const [key, item] of Object.entries(value)) {
        if (findings.patch && key.startsWith('$')) continue;
        const field = fields.get(key);
        if (field) {
          check(field, item, `${path}.${key}`, findings);
        } else {
          findings.unknown.push(`${path}.${key}`);
          if (findings.prune) delete value[key];
        }
      }
      return;
    }
  }
}

function checkObject(
  info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>,
  object: unknown,
  prune: boolean,
  options: FieldCheckOptions,
): Findings {
  const findings: Findings = { unknown: [], typeErrors: [], prune, patch: options.patch === true };
  const model = modelNameOf(info);
  if (model) check({ kind: 'model', name: model }, object, '', findings);
  return findings;
}

/**
 * Paths of fields the kind does not define, with a leading dot (".spec.replicaz",
 * ".spec.template.spec.containers[0].imagez"); kube reports them without it.
 */
export function findUnknownFields(
  info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>,
  object: unknown,
  options: FieldCheckOptions = {},
): string[] {
  return checkObject(info, object, false, options).unknown;
}

/** Values whose JSON type does not fit their field (a string for `spec.replicas`). */
export function findTypeErrors(
  info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>,
  object: unknown,
  options: FieldCheckOptions = {},
): FieldTypeError[] {
  return checkObject(info, object, false, options).typeErrors;
}

/**
 * Deletes the fields the kind does not define, in place, and returns their paths: what
 * kube-apiserver's decoder does under fieldValidation=Warn or Ignore (unknown fields are
 * never stored).
 */
export function pruneUnknownFields(
  info: Pick<ResourceInfo, 'group' | 'version' | 'kind'>,
  object: unknown,
  options: FieldCheckOptions = {},
): string[] {
  return checkObject(info, object, true, options).unknown;
}
