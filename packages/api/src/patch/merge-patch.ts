/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): the patch is a partial
 * object; members set to null are removed, objects merge recursively, and everything else
 * (lists included) replaces what was there.
 */
import { StatusError } from '../errors.js';
import { cloneJson, decodePatch, isJsonObject, type JsonObject, setJsonKey } from './json-value.js';

/** Applies a merge patch; `document` is not modified. */
export function applyMergePatch(document: unknown, patch: unknown): unknown {
  const decoded = decodePatch(patch);
  // A patch of an API object must itself be an object; evanphx/json-patch (which
  // kube-apiserver uses) answers anything else with ErrBadJSONPatch.
  if (!isJsonObject(decoded)) throw StatusError.badRequest('Invalid JSON Patch');
  return mergeInto(cloneJson(document), decoded);
}

/** Merges `patch` into `target`, which the caller owns and which may be changed. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return cloneJson(patch);
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      const current = Object.hasOwn(result, key) ? result[key] : undefined;
      setJsonKey(result, key, mergeInto(current, value));
    }
  }
  return result;
}
