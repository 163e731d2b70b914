/**
 * Decoding the object of a create or update: parse, check it is an object of the kind the
 * path names (apiVersion and kind default to the path's), refuse wrong value types and
 * apply fieldValidation.
 */
import { apiVersionOf, type KubeObject, type ResourceInfo, StatusError } from '@tkube/api';
import { bodyEncoding, decodeBody, summarize } from './decode.js';
import { applyFieldValidation, cannotHandle, rejectTypeErrors } from './field-validation.js';
import type { FieldValidation } from './query-options.js';

export interface DecodedObject {
  object: KubeObject;
  warnings: string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function decodeObject(
  info: ResourceInfo,
  body: Buffer,
  contentType: string | undefined,
  validation: FieldValidation,
): DecodedObject {
  const expectedApiVersion = apiVersionOf(info);
  const { value, duplicateFields } = decodeBody(body, bodyEncoding(contentType), info.kind, {
    apiVersion: expectedApiVersion,
    kind: info.kind,
  });
  if (!isPlainObject(value)) {
    throw StatusError.badRequest(
      `the object provided is unrecognized (must be of type ${info.kind}): couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (${summarize(body)})`,
    );
  }
  const apiVersion = value.apiVersion ?? expectedApiVersion;
  const kind = value.kind ?? info.kind;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    throw StatusError.badRequest(
      `the object provided is unrecognized (must be of type ${info.kind}): apiVersion and kind must be strings (${summarize(body)})`,
    );
  }
  if (apiVersion !== expectedApiVersion) {
    throw StatusError.badRequest(
      `the API version in the data (${apiVersion}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (kind !== info.kind) {
    throw StatusError.badRequest(
      `${kind} in version "${info.version}" cannot be handled as a ${info.kind}: the kind in the data (${kind}) does not match the kind of the resource (${info.kind})`,
    );
  }
  value.apiVersion = apiVersion;
  value.kind = kind;
  rejectTypeErrors(info, value);
  const warnings = applyFieldValidation(info, value, duplicateFields, validation, cannotHandle);
  return { object: value as KubeObject, warnings };
}
