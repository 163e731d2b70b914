/**
 * Objects cross the gRPC API as their Kubernetes JSON in a TypedObject envelope that names
 * their group, version and kind. These helpers are the only place that encodes or decodes
 * one, so both ends agree on what a malformed payload is (a 400 BadRequest).
 */
import { StatusError } from '../errors.js';
import type { KubeObject } from '../types.js';
import type { TypedObject } from './generated/api.js';

/** Wraps an object (or list, or Status) for the wire. */
export function toTypedObject(object: KubeObject | object): TypedObject {
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const [group, version] = splitApiVersion(typeof apiVersion === 'string' ? apiVersion : '');
  return {
    group,
    version,
    kind: typeof kind === 'string' ? kind : '',
    objectJson: Buffer.from(JSON.stringify(object)),
  };
}

/**
 * Unwraps an object from the wire. `apiVersion` and `kind` missing from the JSON are
 * taken from the envelope; a payload that is not a JSON object is a BadRequest.
 */
export function fromTypedObject(typed: TypedObject | undefined, what = 'object'): KubeObject {
  if (!typed || typed.objectJson.length === 0) {
    throw StatusError.badRequest(`the ${what} is missing from the request`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typed.objectJson.toString('utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw StatusError.badRequest(`the ${what} is not valid JSON: ${reason}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw StatusError.badRequest(`the ${what} must be a JSON object`);
  }
  const object = parsed as KubeObject;
  if (object.apiVersion === undefined && typed.version) {
    object.apiVersion = typed.group ? `${typed.group}/${typed.version}` : typed.version;
  }
  if (object.kind === undefined && typed.kind) object.kind = typed.kind;
  return object;
}

/** Parses an optional JSON object carried as bytes (DeleteOptions, Binding). */
export function parseJsonObject<T extends object>(bytes: Buffer, what: string): T | undefined {
  if (bytes.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw StatusError.badRequest(`the ${what} is not valid JSON: ${reason}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw StatusError.badRequest(`the ${what} must be a JSON object`);
  }
  return parsed as T;
}

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}
