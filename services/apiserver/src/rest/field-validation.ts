/**
 * fieldValidation for decoded bodies: unknown and duplicate fields fail the request under
 * Strict, become `Warning` headers under Warn and pass silently under Ignore; in the last
 * two cases they are dropped, as kube-apiserver's decoder never keeps them.
 */
import { type ResourceInfo, StatusError } from '@tkube/api';
import { type FieldCheckOptions, findTypeErrors, pruneUnknownFields } from '@tkube/api/schema';
import type { FieldValidation } from './query-options.js';

function withoutLeadingDot(path: string): string {
  return path.startsWith('.') ? path.slice(1) : path;
}

/** `Deployment in version "v1" cannot be handled as a Deployment: ...`, kube's decode error. */
export function cannotHandle(info: ResourceInfo, reason: string): StatusError {
  return StatusError.badRequest(
    `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: ${reason}`,
  );
}

/** Type mismatches are decode errors whatever the fieldValidation level. */
export function rejectTypeErrors(
  info: ResourceInfo,
  object: unknown,
  describe = cannotHandle,
  options: FieldCheckOptions = {},
): void {
  const [first] = findTypeErrors(info, object, options);
  if (first) {
    throw describe(
      info,
      `json: cannot unmarshal ${first.found} into Go struct field ${info.kind}${first.path} of type ${first.expected}`,
    );
  }
}

/**
 * Applies fieldValidation to a decoded object (pruning it in place) and returns the
 * warnings to send; throws the strict decoding error under Strict.
 */
export function applyFieldValidation(
  info: ResourceInfo,
  object: unknown,
  duplicateFields: readonly string[],
  level: FieldValidation,
  strictError: (info: ResourceInfo, reason: string) => StatusError = cannotHandle,
  options: FieldCheckOptions = {},
): string[] {
  const unknown = pruneUnknownFields(info, object, options).map(withoutLeadingDot);
  const problems = [
    ...unknown.map((path) => `unknown field ${JSON.stringify(path)}`),
    ...duplicateFields.map((path) => `duplicate field ${JSON.stringify(path)}`),
  ];
  if (problems.length === 0 || level === 'Ignore') return [];
  if (level === 'Strict') throw strictError(info, `strict decoding error: ${problems.join(', ')}`);
  return problems;
}
