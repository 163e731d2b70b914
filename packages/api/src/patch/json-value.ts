/**
 * Plain JSON values as the patch functions handle them: decoded once, compared structurally,
 * copied so that a patch never writes into the document it was given.
 */
import { StatusError } from '../errors.js';

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A deep copy of a JSON value (objects, arrays, primitives). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  if (isJsonObject(value)) {
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value)) setJsonKey(copy, key, cloneJson(item));
    return copy as T;
  }
  return value;
}

/**
 * Sets a member, also one named "__proto__": JSON.parse makes that an ordinary member, and
 * a plain assignment would instead replace the object's prototype.
 */
export function setJsonKey(object: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** Structural equality: object key order does not matter, array order does. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/**
 * The patch as a JSON value: a request body (string or bytes) is decoded, anything else is
 * taken as already decoded. An undecodable body is 400 BadRequest, as kube-apiserver answers.
 */
export function decodePatch(patch: unknown): unknown {
  let text: string;
  if (typeof patch === 'string') text = patch;
  else if (patch instanceof Uint8Array) text = new TextDecoder().decode(patch);
  else return patch;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw StatusError.badRequest(`error decoding patch: ${reason}`);
  }
}

/** A JSON value in messages, shortened so a huge patch does not become a huge error. */
export function describeJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
