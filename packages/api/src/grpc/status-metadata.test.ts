import { status as GrpcCode, Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { fieldCause, StatusError } from '../errors.js';
import { fromGrpcError, grpcCodeOf, STATUS_METADATA_KEY, toGrpcError } from './status-metadata.js';

describe('StatusError over gRPC', () => {
  it('maps each Kubernetes reason to the gRPC code that means the same', () => {
    const ref = { group: 'apps', resource: 'deployments', name: 'web' };
    expect(grpcCodeOf(StatusError.notFound(ref))).toBe(GrpcCode.NOT_FOUND);
    expect(grpcCodeOf(StatusError.alreadyExists(ref))).toBe(GrpcCode.ALREADY_EXISTS);
    expect(grpcCodeOf(StatusError.conflict(ref, 'modified'))).toBe(GrpcCode.ABORTED);
    expect(grpcCodeOf(StatusError.expired('too old'))).toBe(GrpcCode.OUT_OF_RANGE);
    expect(grpcCodeOf(StatusError.invalid('Deployment', 'web', []))).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(grpcCodeOf(StatusError.badRequest('bad'))).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(grpcCodeOf(StatusError.unauthorized())).toBe(GrpcCode.UNAUTHENTICATED);
    expect(grpcCodeOf(StatusError.forbidden(ref, 'no'))).toBe(GrpcCode.PERMISSION_DENIED);
    expect(grpcCodeOf(StatusError.tooManyRequests('slow down'))).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(grpcCodeOf(StatusError.unavailable('down'))).toBe(GrpcCode.UNAVAILABLE);
    expect(grpcCodeOf(StatusError.internal('boom'))).toBe(GrpcCode.INTERNAL);
  });

  it('rebuilds the exact error from the Status in the trailers', () => {
    const original = StatusError.invalid('Pod', 'web', [
      fieldCause('FieldValueRequired', 'spec.containers', 'Required value'),
    ]);
    const rebuilt = fromGrpcError(toGrpcError(original));
    expect(rebuilt).toBeInstanceOf(StatusError);
    expect(rebuilt.toStatus()).toEqual(original.toStatus());
  });

  it('falls back to the gRPC code when no Status came (transport failures)', () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: GrpcCode.UNAVAILABLE,
      details: 'No connection established',
      metadata: new Metadata(),
    });
    expect(fromGrpcError(unavailable)).toMatchObject({
      code: 503,
      reason: 'ServiceUnavailable',
      message: 'No connection established',
    });

    const garbled = new Metadata();
    garbled.set(STATUS_METADATA_KEY, Buffer.from('not json'));
    const notFound = { code: GrpcCode.NOT_FOUND, details: 'gone', metadata: garbled };
    expect(fromGrpcError(notFound)).toMatchObject({ code: 404, reason: 'NotFound', message: 'gone' });
    expect(fromGrpcError('weird')).toMatchObject({ code: 500, reason: 'InternalError' });
  });
});
