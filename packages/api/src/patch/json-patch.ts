/**
 * JSON patch (RFC 6902, `application/json-patch+json`): a list of add, remove, replace,
 * move, copy and test operations addressed by JSON pointers (RFC 6901). The operations run
 * in order on a copy; if one fails, nothing of the patch applies.
 *
 * Status codes follow kube-apiserver's patch handler: a body that is not a list of
 * operations is 400 BadRequest, an operation that cannot apply (a failed test, a missing
 * path) is 422 Invalid, and more than 10000 operations is 413.
 */
import { StatusError } from '../errors.js';
import {
  cloneJson,
  decodePatch,
  describeJson,
  isJsonObject,
  type JsonObject,
  jsonEqual,
  setJsonKey,
} from './json-value.js';

/** kube-apiserver's maxJSONPatchOperations. */
const MAX_OPERATIONS = 10_000;

type OperationKind = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';

/** Applies a JSON patch; `document` is not modified. */
export function applyJsonPatch(document: unknown, patch: unknown): unknown {
  const operations = decodeOperations(decodePatch(patch));
  let result = cloneJson(document);
  for (const operation of operations) result = applyOperation(result, operation);
  return result;
}

function decodeOperations(patch: unknown): JsonObject[] {
  // Go decodes a JSON null into an empty patch.
  if (patch === null) return [];
  if (!Array.isArray(patch)) {
    throw StatusError.badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  if (patch.length > MAX_OPERATIONS) {
    throw StatusError.tooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${patch.length}`,
    );
  }
  return patch.map((operation) => {
    if (!isJsonObject(operation)) {
      throw StatusError.badRequest(
        `json: cannot unmarshal ${goJsonKind(operation)} into Go value of type jsonpatch.Operation`,
      );
    }
    return operation;
  });
}

function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

function cannotApply(message: string): StatusError {
  return new StatusError(422, 'Invalid', message);
}

function applyOperation(document: unknown, operation: JsonObject): unknown {
  const kind = operation.op;
  switch (kind) {
    case 'add':
      return add(document, pointerOf(operation, 'path', kind), operationValue(operation, kind), kind);
    case 'remove':
      return remove(document, pointerOf(operation, 'path', kind));
    case 'replace':
      return replace(document, pointerOf(operation, 'path', kind), operationValue(operation, kind));
    case 'move':
      return move(document, pointerOf(operation, 'from', kind), pointerOf(operation, 'path', kind));
    case 'copy':
      return copy(document, pointerOf(operation, 'from', kind), pointerOf(operation, 'path', kind));
    case 'test':
      return test(document, pointerOf(operation, 'path', kind), operationValue(operation, kind));
    default:
      throw cannotApply(`Unexpected kind: ${typeof kind === 'string' ? kind : describeJson(kind)}`);
  }
}

interface Pointer {
  text: string;
  tokens: string[];
}

function pointerOf(operation: JsonObject, member: 'path' | 'from', kind: OperationKind): Pointer {
  const text = operation[member];
  if (typeof text !== 'string') throw cannotApply(`${kind} operation has no "${member}" string`);
  return { text, tokens: parsePointer(text) };
}

function operationValue(operation: JsonObject, kind: OperationKind): unknown {
  if (!Object.hasOwn(operation, 'value')) throw cannotApply(`${kind} operation has no "value"`);
  return cloneJson(operation.value);
}

/** RFC 6901: "" is the whole document, "/a/0/b~1c" the tokens a, 0, b/c. */
function parsePointer(text: string): string[] {
  if (text === '') return [];
  if (!text.startsWith('/')) throw cannotApply(`JSON pointer must be empty or start with a "/": ${text}`);
  return text
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token)) throw cannotApply(`invalid escape in JSON pointer: ${text}`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** The value a pointer names, or undefined when it names nothing. */
function resolve(document: unknown, tokens: readonly string[]): { found: boolean; value: unknown } {
  let current = document;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = arrayIndex(token);
      if (index === undefined || index >= current.length) return { found: false, value: undefined };
      current = current[index];
    } else if (isJsonObject(current) && Object.hasOwn(current, token)) {
      current = current[token];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}

/** An array index token: digits without leading zeros. "-" is handled by add. */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(token) ? Number(token) : undefined;
}

/** The container of the last token and that token; the container must exist. */
function parentOf(
  document: unknown,
  pointer: Pointer,
  kind: OperationKind,
): { container: unknown[] | JsonObject; key: string } {
  const parent = resolve(document, pointer.tokens.slice(0, -1));
  const key = pointer.tokens.at(-1) ?? '';
  if (!parent.found || !(Array.isArray(parent.value) || isJsonObject(parent.value))) {
    throw cannotApply(`${kind} operation does not apply: doc is missing path: "${pointer.text}"`);
  }
  return { container: parent.value, key };
}

function add(document: unknown, pointer: Pointer, value: unknown, kind: OperationKind): unknown {
  if (pointer.tokens.length === 0) return value;
  const { container, key } = parentOf(document, pointer, kind);
  if (Array.isArray(container)) {
    const index = key === '-' ? container.length : arrayIndex(key);
    if (index === undefined || index > container.length) throw cannotApply(`Unable to access invalid index: ${key}`);
    container.splice(index, 0, value);
  } else {
    setJsonKey(container, key, value);
  }
  return document;
}

function remove(document: unknown, pointer: Pointer): unknown {
  const missing = () => cannotApply(`remove operation does not apply: doc is missing path: "${pointer.text}"`);
  if (pointer.tokens.length === 0) throw missing();
  const { container, key } = parentOf(document, pointer, 'remove');
  if (Array.isArray(container)) {
    const index = arrayIndex(key);
    if (index === undefined || index >= container.length) throw missing();
    container.splice(index, 1);
  } else {
    if (!Object.hasOwn(container, key)) throw missing();
    delete container[key];
  }
  return document;
}

function replace(document: unknown, pointer: Pointer, value: unknown): unknown {
  if (pointer.tokens.length === 0) return value;
  if (!resolve(document, pointer.tokens).found) {
    throw cannotApply(`replace operation does not apply: doc is missing path: ${pointer.text}`);
  }
  const { container, key } = parentOf(document, pointer, 'replace');
  if (Array.isArray(container)) container[Number(key)] = value;
  else setJsonKey(container, key, value);
  return document;
}

function move(document: unknown, from: Pointer, path: Pointer): unknown {
  const source = resolve(document, from.tokens);
  if (!source.found) throw cannotApply(`move operation does not apply: doc is missing from path: ${from.text}`);
  if (from.text === path.text) return document;
  if (path.text.startsWith(`${from.text}/`)) {
    throw cannotApply(`move operation does not apply: from ${from.text} is a parent of path ${path.text}`);
  }
  return add(remove(document, from), path, source.value, 'move');
}

function copy(document: unknown, from: Pointer, path: Pointer): unknown {
  const source = resolve(document, from.tokens);
  if (!source.found) throw cannotApply(`copy operation does not apply: doc is missing from path: ${from.text}`);
  return add(document, path, cloneJson(source.value), 'copy');
}

function test(document: unknown, pointer: Pointer, expected: unknown): unknown {
  const actual = resolve(document, pointer.tokens);
  if (!actual.found || !jsonEqual(actual.value, expected)) {
    throw cannotApply(`testing value ${pointer.text} failed: test failed`);
  }
  return document;
}
