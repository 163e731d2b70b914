/**
 * Parses client-node's attribute type expressions into a small tree the schema builders
 * walk: scalars, arrays, string-keyed maps, free-form values and references to models.
 */
import { hasModel } from './models.js';

export type TypeNode =
  | { kind: 'string'; format?: string }
  | { kind: 'integer'; format: 'int32' | 'int64' }
  | { kind: 'number'; format?: string }
  | { kind: 'boolean' }
  | { kind: 'date-time' }
  | { kind: 'int-or-string' }
  /** Any JSON value (RawExtension, fieldsV1, ...): never checked inside. */
  | { kind: 'free-form' }
  | { kind: 'array'; items: TypeNode }
  | { kind: 'map'; values: TypeNode }
  | { kind: 'model'; name: string };

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

export function parseTypeExpression(type: string, format = ''): TypeNode {
  const array = ARRAY.exec(type);
  if (array) return { kind: 'array', items: parseTypeExpression(array[1], format) };
  const map = MAP.exec(type);
  if (map) return { kind: 'map', values: parseTypeExpression(map[1], format) };
  switch (type) {
    case 'string':
      return format ? { kind: 'string', format } : { kind: 'string' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { kind: 'integer', format };
      return format ? { kind: 'number', format } : { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'Date':
    case 'V1MicroTime':
      return { kind: 'date-time' };
    case 'IntOrString':
      return { kind: 'int-or-string' };
    case 'any':
    case 'object':
      return { kind: 'free-form' };
    default:
      return hasModel(type) ? { kind: 'model', name: type } : { kind: 'free-form' };
  }
}
