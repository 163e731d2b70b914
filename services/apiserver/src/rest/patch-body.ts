/**
 * PATCH bodies: the patch type from the Content-Type, and checks before the registry
 * applies them: a JSON patch is a list of operations; a merge or strategic-merge patch is
 * a JSON object whose fields go through fieldValidation (unknown ones dropped or refused).
 */
import { type ResourceInfo, StatusError } from '@tkube/api';
import type { PatchType } from '../registry/types.js';
import { decodeBody } from './decode.js';
import { applyFieldValidation, rejectTypeErrors } from './field-validation.js';
import { parseMediaType } from './negotiation.js';
import type { FieldValidation } from './query-options.js';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = PATCH_TYPES[parseMediaType(contentType ?? '').type];
  if (!type) {
    throw new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`,
    );
  }
  return type;
}

export interface CheckedPatch {
  patch: Buffer;
  warnings: string[];
}

const JSON_PATCH_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

function checkJsonPatch(value: unknown): void {
  if (!Array.isArray(value)) {
    throw StatusError.badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  for (const [index, operation] of value.entries()) {
    if (typeof operation !== 'object' || operation === null || Array.isArray(operation)) {
      throw StatusError.badRequest(`the JSON patch operation at index ${index} is not an object`);
    }
    const { op, path } = operation as Record<string, unknown>;
    if (typeof op !== 'string' || !JSON_PATCH_OPS.has(op)) {
      throw StatusError.badRequest(`Unexpected kind: ${String(op)}`);
    }
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
      throw StatusError.badRequest(
        `the JSON patch operation at index ${index} has an invalid path ${JSON.stringify(path)}`,
      );
    }
  }
}

function strictPatchError(_info: ResourceInfo, reason: string): StatusError {
  return StatusError.badRequest(reason);
}

/**
 * Decodes and checks a patch body. Server-side apply bodies go to the registry as they
 * are (it decides whether it supports them).
 */
export function checkPatch(
  info: ResourceInfo,
  type: PatchType,
  body: Buffer,
  validation: FieldValidation,
): CheckedPatch {
  if (type === 'apply') return { patch: body, warnings: [] };
  const { value, duplicateFields } = decodeBody(body, 'json', 'patch');
  if (type === 'json') {
    checkJsonPatch(value);
    return { patch: body, warnings: [] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw StatusError.badRequest(
      `json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type map[string]interface {}`,
    );
  }
  const options = { patch: true };
  rejectTypeErrors(info, value, (_info, reason) => StatusError.badRequest(reason), options);
  const warnings = applyFieldValidation(info, value, duplicateFields, validation, strictPatchError, options);
  return { patch: Buffer.from(JSON.stringify(value)), warnings };
}
