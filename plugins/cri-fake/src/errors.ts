/**
 * The fake runtime's failures as StatusErrors (packages/api), answered with the gRPC code
 * of the same meaning: NotFound -> NOT_FOUND, BadRequest -> INVALID_ARGUMENT,
 * MethodNotAllowed -> UNIMPLEMENTED, TooManyRequests -> RESOURCE_EXHAUSTED.
 * The same shapes as plugins/cri-docker, so a kubelet sees the two runtimes fail alike.
 */

import { StatusError } from '@tkube/api';

export function notFound(what: 'container' | 'sandbox' | 'image', id: string): StatusError {
  return new StatusError(404, 'NotFound', `${what} "${id}" not found`, { kind: what, name: id });
}

export function invalidArgument(message: string): StatusError {
  return StatusError.badRequest(message);
}

export function unimplemented(message: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message);
}

export function exhausted(message: string): StatusError {
  return new StatusError(429, 'TooManyRequests', message);
}
