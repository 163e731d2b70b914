import { status as GrpcCode, Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  CNI_ERROR_METADATA_KEY,
  CniErrorCode,
  NetworkPluginError,
  networkPluginErrorOf,
} from './network-plugin-error.js';

describe('NetworkPluginError over gRPC', () => {
  it('comes back with its CNI code, message and details', () => {
    const sent = NetworkPluginError.ioFailure('ip failed: File exists', 'RTNETLINK answers: File exists');
    const onTheWire = sent.toGrpcError();
    expect(onTheWire.code).toBe(GrpcCode.INTERNAL);
    expect(onTheWire.metadata.get(CNI_ERROR_METADATA_KEY)).toHaveLength(1);

    const received = networkPluginErrorOf(onTheWire);
    expect(received).toBeInstanceOf(NetworkPluginError);
    expect(received.code).toBe(CniErrorCode.IoFailure);
    expect(received.message).toBe('ip failed: File exists');
    expect(received.details).toBe('RTNETLINK answers: File exists');
    expect(received.grpcCode).toBe(GrpcCode.INTERNAL);
  });

  it('maps each factory to the gRPC code that means the same', () => {
    expect(NetworkPluginError.invalidArguments('x').toGrpcError().code).toBe(GrpcCode.INVALID_ARGUMENT);
    expect(NetworkPluginError.duplicateAttachment('x').toGrpcError().code).toBe(GrpcCode.ALREADY_EXISTS);
    expect(NetworkPluginError.addressesExhausted('10.244.1.0/24').toGrpcError().code).toBe(GrpcCode.RESOURCE_EXHAUSTED);
    expect(NetworkPluginError.checkFailed('x').toGrpcError().code).toBe(GrpcCode.NOT_FOUND);
    expect(NetworkPluginError.notAvailable('x').toGrpcError().code).toBe(GrpcCode.UNAVAILABLE);
  });

  it('reads a transport failure without trailers as try again later', () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
      code: GrpcCode.UNAVAILABLE,
      metadata: new Metadata(),
    });
    expect(networkPluginErrorOf(unavailable).code).toBe(CniErrorCode.TryAgainLater);
    expect(networkPluginErrorOf(new Error('boom')).code).toBe(CniErrorCode.IoFailure);
  });

  it('ignores a trailer it cannot decode', () => {
    const metadata = new Metadata();
    metadata.set(CNI_ERROR_METADATA_KEY, Buffer.from([0xff, 0xff, 0xff]));
    const error = Object.assign(new Error('13 INTERNAL: x'), { code: GrpcCode.INTERNAL, metadata });
    expect(networkPluginErrorOf(error).code).toBe(CniErrorCode.IoFailure);
  });
});
