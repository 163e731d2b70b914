/**
 * The errors a registry answers with, worded as kube-apiserver words them, and the one place
 * storage errors become StatusErrors (nothing raw leaves a registry).
 */
import {
  type ResourceInfo,
  type ResourceRef,
  type StatusCause,
  StatusError,
  type StatusErrorDetails,
} from '@tkube/api';
import { KeyExistsError, RevisionCompactedError, RevisionMismatchError } from '../storage/types.js';

/** storage.OptimisticLockErrorMsg */
export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function refOf(info: ResourceInfo, name?: string): ResourceRef {
  return name === undefined
    ? { group: info.group, resource: info.resource }
    : { group: info.group, resource: info.resource, name };
}

export function conflict(info: ResourceInfo, name: string, why = OPTIMISTIC_LOCK_MESSAGE): StatusError {
  return StatusError.conflict(refOf(info, name), why);
}

/** errors.NewForbidden: the name is part of the message when there is one. */
export function forbidden(info: ResourceInfo, name: string, why: string, causes?: StatusCause[]): StatusError {
  const qualified = info.group ? `${info.resource}.${info.group}` : info.resource;
  const details: StatusErrorDetails = { name, kind: info.resource };
  if (info.group) details.group = info.group;
  if (causes) details.causes = causes;
  const message = name ? `${qualified} "${name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  return new StatusError(403, 'Forbidden', message, details);
}

export function watchExpired(requested: number, oldest: number): StatusError {
  // The second number is the oldest version a watch can start from (kube's watch cache).
  return StatusError.expired(`too old resource version: ${requested} (${Math.max(oldest - 1, 0)})`);
}

/**
 * Maps what storage throws. KeyExists and RevisionMismatch need the object they were about;
 * anything unknown becomes InternalError so no raw error reaches a client.
 */
export function fromStorageError(err: unknown, info: ResourceInfo, name: string): StatusError {
  if (err instanceof StatusError) return err;
  if (err instanceof KeyExistsError) return StatusError.alreadyExists(refOf(info, name));
  if (err instanceof RevisionMismatchError) return conflict(info, name);
  if (err instanceof RevisionCompactedError) return watchExpired(err.requested, err.oldest);
  const message = err instanceof Error ? err.message : String(err);
  return StatusError.internal(message, err);
}

/** Parses a client-given resourceVersion: decimal digits only, else 400. */
export function parseResourceVersion(value: string, what = 'resource version'): number {
  if (!/^\d+$/.test(value)) throw StatusError.badRequest(`invalid ${what}: ${JSON.stringify(value)}`);
  return Number(value);
}
