/**
 * Errors that map to a Kubernetes `Status`. Every failure a client can cause is one of
 * these, built by a small static factory, so the REST and gRPC layers turn it into the
 * same Status with the same reason and code that kube-apiserver would send.
 */
import type { Status, StatusCause } from './types.js';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface ResourceRef {
  group: string;
  /** The plural resource name ("deployments"). */
  resource: string;
  name?: string;
}

export interface StatusErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class StatusError extends Error {
  override name = 'StatusError';
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }

  static badRequest(message: string): StatusError {
    return new StatusError(400, 'BadRequest', message);
  }

  static unauthorized(message = 'Unauthorized'): StatusError {
    return new StatusError(401, 'Unauthorized', message);
  }

  static forbidden(ref: ResourceRef, message: string): StatusError {
    return new StatusError(403, 'Forbidden', `${qualified(ref)} is forbidden: ${message}`, detailsOf(ref));
  }

  static notFound(ref: ResourceRef): StatusError {
    return new StatusError(404, 'NotFound', `${qualified(ref)} "${ref.name ?? ''}" not found`, detailsOf(ref));
  }

  /** The path names nothing served (no such resource or subresource). */
  static pathNotFound(message = 'the server could not find the requested resource'): StatusError {
    return new StatusError(404, 'NotFound', message, {});
  }

  static alreadyExists(ref: ResourceRef): StatusError {
    return new StatusError(
      409,
      'AlreadyExists',
      `${qualified(ref)} "${ref.name ?? ''}" already exists`,
      detailsOf(ref),
    );
  }

  static conflict(ref: ResourceRef, why: string): StatusError {
    return new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(ref)} "${ref.name ?? ''}": ${why}`,
      detailsOf(ref),
    );
  }

  /** A watch or list asked for a resourceVersion no longer kept: the client must relist. */
  static expired(message: string): StatusError {
    return new StatusError(410, 'Expired', message);
  }

  static gone(message: string): StatusError {
    return new StatusError(410, 'Gone', message);
  }

  /** 422 with one cause per invalid field, as kube-apiserver's field.ErrorList. */
  static invalid(kind: string, name: string, causes: StatusCause[], group = ''): StatusError {
    const list = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
    const summary = causes.length === 1 ? list : `[${list}]`;
    return new StatusError(422, 'Invalid', `${kind} "${name}" is invalid: ${summary}`, {
      name,
      group,
      kind,
      causes,
    });
  }

  static methodNotAllowed(message: string): StatusError {
    return new StatusError(405, 'MethodNotAllowed', message);
  }

  static notAcceptable(message: string): StatusError {
    return new StatusError(406, 'NotAcceptable', message);
  }

  static tooLarge(message = 'the request body is too large'): StatusError {
    return new StatusError(413, 'RequestEntityTooLarge', message);
  }

  static unsupportedMediaType(contentType: string): StatusError {
    return new StatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format: ${contentType}`,
    );
  }

  static tooManyRequests(message: string, retryAfterSeconds = 1): StatusError {
    return new StatusError(429, 'TooManyRequests', message, { retryAfterSeconds });
  }

  static unavailable(message: string): StatusError {
    return new StatusError(503, 'ServiceUnavailable', message);
  }

  static internal(message: string, cause?: unknown): StatusError {
    return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, {}, { cause });
  }

  /** Rebuilds the error from a Status received over the wire (REST or gRPC). */
  static fromStatus(status: Status): StatusError {
    const details = status.details as StatusErrorDetails | undefined;
    return new StatusError(
      status.code ?? 500,
      (status.reason ?? 'InternalError') as StatusReason,
      status.message ?? '',
      details,
    );
  }
}

/** Narrows anything thrown to a StatusError, wrapping the unknown as InternalError. */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return StatusError.internal(message, err);
}

export function isStatusError(err: unknown, reason?: StatusReason): err is StatusError {
  return err instanceof StatusError && (reason === undefined || err.reason === reason);
}

/** "deployments.apps" or "pods": how kube-apiserver names a resource in messages. */
function qualified(ref: ResourceRef): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}

function detailsOf(ref: ResourceRef): StatusErrorDetails {
  const details: StatusErrorDetails = { kind: ref.resource };
  if (ref.name !== undefined) details.name = ref.name;
  if (ref.group) details.group = ref.group;
  return details;
}

/** A field-level problem, the tkube form of field.Error. Collected, then thrown as Invalid. */
export type FieldCauseType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound';

export function fieldCause(type: FieldCauseType, field: string, message: string): StatusCause {
  return { reason: type, field, message };
}
