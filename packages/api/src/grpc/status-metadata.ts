/**
 * How a Kubernetes Status crosses the gRPC API: the call ends with the gRPC code that
 * means the same thing (so generic gRPC tooling reads it right), and the Status itself
 * rides as JSON in the trailing metadata so the client rebuilds the exact StatusError.
 */
import { status as GrpcCode, Metadata } from '@grpc/grpc-js';
import type { StatusReason } from '../errors.js';
import { StatusError } from '../errors.js';
import type { Status } from '../types.js';

/** Trailing metadata key of the Status JSON; `-bin` because the value is bytes. */
export const STATUS_METADATA_KEY = 'tkube-status-bin';

/** What a grpc-js handler passes to its callback or emits on a stream to fail a call. */
export interface GrpcErrorStatus extends Error {
  code: GrpcCode;
  details: string;
  metadata: Metadata;
}

const CODE_BY_REASON: Partial<Record<StatusReason, GrpcCode>> = {
  BadRequest: GrpcCode.INVALID_ARGUMENT,
  Invalid: GrpcCode.INVALID_ARGUMENT,
  NotAcceptable: GrpcCode.INVALID_ARGUMENT,
  UnsupportedMediaType: GrpcCode.INVALID_ARGUMENT,
  Unauthorized: GrpcCode.UNAUTHENTICATED,
  Forbidden: GrpcCode.PERMISSION_DENIED,
  NotFound: GrpcCode.NOT_FOUND,
  AlreadyExists: GrpcCode.ALREADY_EXISTS,
  Conflict: GrpcCode.ABORTED,
  Expired: GrpcCode.OUT_OF_RANGE,
  Gone: GrpcCode.OUT_OF_RANGE,
  MethodNotAllowed: GrpcCode.UNIMPLEMENTED,
  RequestEntityTooLarge: GrpcCode.RESOURCE_EXHAUSTED,
  TooManyRequests: GrpcCode.RESOURCE_EXHAUSTED,
  Timeout: GrpcCode.DEADLINE_EXCEEDED,
  ServiceUnavailable: GrpcCode.UNAVAILABLE,
  InternalError: GrpcCode.INTERNAL,
};

export function grpcCodeOf(error: StatusError): GrpcCode {
  return CODE_BY_REASON[error.reason] ?? GrpcCode.UNKNOWN;
}

/** The grpc-js error a server answers for a StatusError. */
export function toGrpcError(error: StatusError): GrpcErrorStatus {
  const metadata = new Metadata();
  metadata.set(STATUS_METADATA_KEY, Buffer.from(JSON.stringify(error.toStatus())));
  return Object.assign(new Error(error.message), {
    code: grpcCodeOf(error),
    details: error.message,
    metadata,
  });
}

/**
 * Rebuilds the StatusError of a failed call: from the Status in the trailers when the
 * apiserver sent one, else from the gRPC code alone (the transport failed, or the peer
 * is not a tkube apiserver).
 */
export function fromGrpcError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  const fields = grpcFieldsOf(error);
  const status = fields.metadata && statusFromMetadata(fields.metadata);
  if (status) return StatusError.fromStatus(status);
  return statusErrorForCode(fields.code, fields.details, error);
}

interface GrpcErrorFields {
  code: number | undefined;
  details: string;
  metadata: Metadata | undefined;
}

function grpcFieldsOf(error: unknown): GrpcErrorFields {
  if (typeof error !== 'object' || error === null) {
    return { code: undefined, details: String(error), metadata: undefined };
  }
  const record = error as Record<string, unknown>;
  const message = error instanceof Error ? error.message : '';
  return {
    code: typeof record.code === 'number' ? record.code : undefined,
    details: typeof record.details === 'string' ? record.details : message,
    metadata: record.metadata instanceof Metadata ? record.metadata : undefined,
  };
}

function statusFromMetadata(metadata: Metadata): Status | undefined {
  const [value] = metadata.get(STATUS_METADATA_KEY);
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.isBuffer(value) ? value.toString('utf8') : value);
    if (typeof parsed === 'object' && parsed !== null && (parsed as Status).kind === 'Status') {
      return parsed as Status;
    }
  } catch {
    // A malformed Status falls back to the gRPC code: the call still failed.
  }
  return undefined;
}

function statusErrorForCode(code: number | undefined, details: string, cause: unknown): StatusError {
  switch (code) {
    case GrpcCode.INVALID_ARGUMENT:
      return StatusError.badRequest(details);
    case GrpcCode.UNAUTHENTICATED:
      return StatusError.unauthorized(details || undefined);
    case GrpcCode.PERMISSION_DENIED:
      return new StatusError(403, 'Forbidden', details);
    case GrpcCode.NOT_FOUND:
      return StatusError.pathNotFound(details || undefined);
    case GrpcCode.ALREADY_EXISTS:
      return new StatusError(409, 'AlreadyExists', details);
    case GrpcCode.ABORTED:
      return new StatusError(409, 'Conflict', details);
    case GrpcCode.OUT_OF_RANGE:
      return StatusError.expired(details);
    case GrpcCode.UNIMPLEMENTED:
      return StatusError.methodNotAllowed(details);
    case GrpcCode.RESOURCE_EXHAUSTED:
      return StatusError.tooManyRequests(details);
    case GrpcCode.DEADLINE_EXCEEDED:
      return new StatusError(504, 'Timeout', details);
    case GrpcCode.UNAVAILABLE:
    case GrpcCode.CANCELLED:
      return StatusError.unavailable(details);
    default:
      return StatusError.internal(details, cause);
  }
}
