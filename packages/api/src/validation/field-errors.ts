/**
 * Builders of field errors with apimachinery's exact wording (field.Required, field.Invalid,
 * ...), so a 422 from tkube reads as one from kube-apiserver. Each returns a StatusCause,
 * the form the errors take in a Status.
 */
import { fieldCause } from '../errors.js';
import type { StatusCause } from '../types.js';
import type { FieldPath } from './field-path.js';

export type ErrorList = StatusCause[];

/** A value printed as is, without Go's quoting (what a fmt.Stringer such as IntOrString prints). */
export class Unquoted {
  constructor(readonly text: string) {}
}

export function required(path: FieldPath, detail = ''): StatusCause {
  return fieldCause('FieldValueRequired', path.toString(), withDetail('Required value', detail));
}

export function invalid(path: FieldPath, value: unknown, detail: string): StatusCause {
  return fieldCause('FieldValueInvalid', path.toString(), withDetail(`Invalid value: ${formatValue(value)}`, detail));
}

export function notSupported(path: FieldPath, value: unknown, supported: readonly string[]): StatusCause {
  const detail = supported.length > 0 ? `supported values: ${supported.map(quote).join(', ')}` : '';
  return fieldCause(
    'FieldValueNotSupported',
    path.toString(),
    withDetail(`Unsupported value: ${formatValue(value)}`, detail),
  );
}

export function duplicate(path: FieldPath, value: unknown): StatusCause {
  return fieldCause('FieldValueDuplicate', path.toString(), `Duplicate value: ${formatValue(value)}`);
}

export function forbidden(path: FieldPath, detail: string): StatusCause {
  return fieldCause('FieldValueForbidden', path.toString(), withDetail('Forbidden', detail));
}

export function tooLong(path: FieldPath, maxBytes: number): StatusCause {
  return fieldCause('FieldValueTooLong', path.toString(), `Too long: must have at most ${maxBytes} bytes`);
}

export function tooMany(path: FieldPath, actual: number, max: number): StatusCause {
  return fieldCause('FieldValueTooMany', path.toString(), `Too many: ${actual}: must have at most ${max} items`);
}

/**
 * field.NotFound (a reference to something that does not exist, such as a volumeMount's
 * volume). errors.ts's FieldCauseType lacks this reason, so the cause is built here.
 */
export function notFound(path: FieldPath, value: unknown): StatusCause {
  return { reason: 'FieldValueNotFound', field: path.toString(), message: `Not found: ${formatValue(value)}` };
}

/** `value` is immutable: apimachinery's ValidateImmutableField. */
export function immutable(path: FieldPath, value: unknown): StatusCause {
  return invalid(path, value, 'field is immutable');
}

function withDetail(head: string, detail: string): string {
  return detail ? `${head}: ${detail}` : head;
}

/** Go's strconv.Quote, close enough for the ASCII that names and values hold. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * How field.Error prints a bad value: strings quoted (%q), numbers and booleans plain,
 * nothing as null, string lists and string maps as Go's %#v shows them, anything else as JSON.
 */
export function formatValue(value: unknown): string {
  if (value instanceof Unquoted) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    return `[]string{${value.map(quote).join(', ')}}`;
  }
  if (isStringMap(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${quote(k)}:${quote(value[k] ?? '')}`);
    return `map[string]string{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}
