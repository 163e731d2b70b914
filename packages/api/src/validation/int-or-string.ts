/** IntOrString fields: ports given by number or name, and surge/unavailable counts or percentages. */

import { type ErrorList, invalid, Unquoted } from './field-errors.js';
import type { FieldPath } from './field-path.js';
import { NEGATIVE_ERROR, percentErrors, portNameErrors, portNumberErrors } from './names.js';

export type IntOrString = number | string;

/** How an IntOrString prints in an error: bare, as its String() method writes it. */
export function intOrStringValue(value: IntOrString | undefined): Unquoted {
  return new Unquoted(value === undefined || value === null ? '0' : String(value));
}

/** ValidatePortNumOrName. */
export function validatePortNumOrName(port: IntOrString | undefined, path: FieldPath): ErrorList {
  if (typeof port === 'number') return portNumberErrors(port).map((msg) => invalid(path, port, msg));
  if (typeof port === 'string') return portNameErrors(port).map((msg) => invalid(path, port, msg));
  return portNumberErrors(0).map((msg) => invalid(path, 0, msg));
}

/** ValidatePositiveIntOrPercent: a non-negative count or a "NN%" string. */
export function validatePositiveIntOrPercent(value: IntOrString | undefined, path: FieldPath): ErrorList {
  if (typeof value === 'string') return percentErrors(value).map((msg) => invalid(path, intOrStringValue(value), msg));
  if (typeof value === 'number' && value < 0) return [invalid(path, value, NEGATIVE_ERROR)];
  return [];
}

/** The number a count or a percentage holds, without scaling ("25%" is 25). */
export function intOrPercentValue(value: IntOrString | undefined): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const match = /^([0-9]+)%$/.exec(value);
    return match ? Number(match[1]) : -1;
  }
  return 0;
}

export function validateNotMoreThan100Percent(value: IntOrString | undefined, path: FieldPath): ErrorList {
  if (typeof value !== 'string' || !value.endsWith('%')) return [];
  return intOrPercentValue(value) > 100
    ? [invalid(path, intOrStringValue(value), 'must not be greater than 100%')]
    : [];
}
