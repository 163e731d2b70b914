/** Quantities in JSON are strings or bare numbers; these read them and say what is wrong. */
import { Quantity, QuantityError } from '../quantity.js';
import { type ErrorList, invalid } from './field-errors.js';
import type { FieldPath } from './field-path.js';

export type QuantityResult = { ok: true; quantity: Quantity } | { ok: false; error: string };

export function readQuantity(value: unknown): QuantityResult {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return { ok: false, error: QuantityError.formatWrong().message };
  }
  try {
    return { ok: true, quantity: Quantity.from(value) };
  } catch (err) {
    if (err instanceof QuantityError) return { ok: false, error: err.message };
    throw err;
  }
}

/** A quantity that must parse and be >= 0 (ValidateNonnegativeQuantity). */
export function validateNonnegativeQuantity(value: unknown, path: FieldPath): { errs: ErrorList; quantity?: Quantity } {
  const read = readQuantity(value);
  if (!read.ok) return { errs: [invalid(path, value, read.error)] };
  if (read.quantity.sign() < 0)
    return { errs: [invalid(path, read.quantity.toString(), 'must be greater than or equal to 0')] };
  return { errs: [], quantity: read.quantity };
}

/** A quantity that must parse and be > 0 (ValidatePositiveQuantityValue). */
export function validatePositiveQuantity(value: unknown, path: FieldPath): { errs: ErrorList; quantity?: Quantity } {
  const read = readQuantity(value);
  if (!read.ok) return { errs: [invalid(path, value, read.error)] };
  if (read.quantity.sign() <= 0)
    return { errs: [invalid(path, read.quantity.toString(), 'must be greater than zero')] };
  return { errs: [], quantity: read.quantity };
}
