/**
 * Patching an autoscaling/v1 Scale, which the REST layer builds from its workload: a merge
 * patch (RFC 7386; strategic merge is the same for Scale, which has no lists) or a JSON
 * patch (RFC 6902) over the Scale's small object tree.
 */
import { StatusError } from '@tkube/api';

type Json = unknown;

/** A JSON patch that cannot apply is 422, as kube-apiserver answers it. */
function patchFailed(message: string): StatusError {
  return new StatusError(422, 'Invalid', message);
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  return path
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(
  document: Json,
  tokens: string[],
  path: string,
): { parent: Record<string, Json> | Json[]; key: string } {
  let current = document;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isObject(current)) current = current[token];
    else current = undefined;
    if (current === undefined) throw patchFailed(`doc is missing path: "${path}"`);
  }
  if (!Array.isArray(current) && !isObject(current)) throw patchFailed(`doc is missing path: "${path}"`);
  return { parent: current, key: tokens[tokens.length - 1] };
}

function read(document: Json, path: string): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return document;
  const { parent, key } = parentOf(document, tokens, path);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw patchFailed(`doc is missing path: "${path}"`);
  return value;
}

function write(document: Json, path: string, value: Json, insert: boolean): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) {
    const index = key === '-' ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw patchFailed(`invalid array index in "${path}"`);
    parent.splice(index, insert ? 0 : 1, value);
  } else {
    parent[key] = value;
  }
  return document;
}

function remove(document: Json, path: string): Json {
  const tokens = pointer(path);
  read(document, path);
  const { parent, key } = parentOf(document, tokens, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return document;
}

export function jsonPatch(target: Json, operations: readonly Record<string, Json>[]): Json {
  let document = structuredClone(target);
  for (const operation of operations) {
    const path = String(operation.path);
    switch (operation.op) {
      case 'add':
        document = write(document, path, structuredClone(operation.value), true);
        break;
      case 'replace':
        read(document, path);
        document = write(document, path, structuredClone(operation.value), false);
        break;
      case 'remove':
        document = remove(document, path);
        break;
      case 'test':
        if (JSON.stringify(read(document, path)) !== JSON.stringify(operation.value)) {
          throw patchFailed(`testing value ${path} failed`);
        }
        break;
      case 'move':
      case 'copy': {
        const value = structuredClone(read(document, String(operation.from)));
        if (operation.op === 'move') document = remove(document, String(operation.from));
        document = write(document, path, value, true);
        break;
      }
      default:
        throw StatusError.badRequest(`Unexpected kind: ${String(operation.op)}`);
    }
  }
  return document;
}
