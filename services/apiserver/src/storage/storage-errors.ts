/**
 * The StatusErrors the storage layer raises itself (the contract's own error classes,
 * KeyExists/RevisionMismatch/RevisionCompacted, live in types.ts). Messages follow
 * kube-apiserver's so clients react the same way.
 */
import { StatusError } from '@tkube/api';

/**
 * A read asked for a revision the store has not reached in time: kube-apiserver's
 * "Too large resource version" (504 Timeout, retry after 1 s).
 */
export function tooLargeResourceVersion(requested: number, current: number): StatusError {
  return new StatusError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });
}

export function storageClosed(): StatusError {
  return StatusError.unavailable('storage is closed');
}

/** NATS could not be reached or did not answer: the outcome of a write may be unknown. */
export function storageUnavailable(operation: string, key: string, cause: unknown): StatusError {
  const why = cause instanceof Error ? cause.message : String(cause);
  const error = new StatusError(503, 'ServiceUnavailable', `storage ${operation} of ${key} failed: ${why}`, undefined, {
    cause,
  });
  return error;
}

/** How long a watch from a revision the store has not reached waits for it (kube: 3 s). */
export const FUTURE_REVISION_WAIT_MS = 3_000;
