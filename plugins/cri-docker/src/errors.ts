/**
 * The plugin's failures as StatusErrors (packages/api), which the gRPC layer answers with
 * the matching code: NotFound -> NOT_FOUND, BadRequest -> INVALID_ARGUMENT,
 * MethodNotAllowed -> UNIMPLEMENTED, Timeout -> DEADLINE_EXCEEDED,
 * ServiceUnavailable -> UNAVAILABLE, InternalError -> INTERNAL.
 */

import { StatusError } from '@tkube/api';
import { EngineError } from './docker/engine.js';

export function notFound(what: 'container' | 'sandbox' | 'image' | 'exec session', id: string): StatusError {
  return new StatusError(404, 'NotFound', `${what} "${id}" not found`, { kind: what, name: id });
}

export function invalidArgument(message: string): StatusError {
  return StatusError.badRequest(message);
}

export function unimplemented(message: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message);
}

export function timedOut(message: string): StatusError {
  return new StatusError(504, 'Timeout', message);
}

/** Wraps an engine failure with what was being attempted. */
export function engineFailure(err: unknown, doing: string): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof EngineError) {
    if (err.statusCode === 404) return new StatusError(404, 'NotFound', `${doing}: ${message}`);
    if (err.statusCode === 503) return StatusError.unavailable(`${doing}: docker is unreachable: ${message}`);
    if (err.statusCode === 400) return StatusError.badRequest(`${doing}: ${message}`);
    if (err.statusCode === 409) return new StatusError(409, 'Conflict', `${doing}: ${message}`);
  }
  return StatusError.internal(`${doing}: ${message}`, err);
}
