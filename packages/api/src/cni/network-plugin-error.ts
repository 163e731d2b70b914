/**
 * The CNI error (SPEC.md "Error": a numeric code, a message and details) as it crosses the
 * network plugin's gRPC API: the call ends with the gRPC code that means the same thing,
 * and the CNI error rides, binary-encoded, in the trailing metadata so the caller gets the
 * plugin's exact code back. Shared by both ends: the plugin throws these, the kubelet
 * catches them.
 */
import { status as GrpcCode, Metadata } from '@grpc/grpc-js';
import { CniError } from './generated/cni/cni.js';

/** Trailing metadata key of the encoded CniError; `-bin` because the value is bytes. */
export const CNI_ERROR_METADATA_KEY = 'tkube-cni-error-bin';

/** The codes of CNI SPEC.md, plus tkube's own from 100 up. */
export const CniErrorCode = {
  IncompatibleVersion: 1,
  UnsupportedField: 2,
  ContainerUnknown: 3,
  InvalidArguments: 4,
  IoFailure: 5,
  DecodingFailure: 6,
  InvalidNetworkConfig: 7,
  TryAgainLater: 11,
  PluginNotAvailable: 50,
  DuplicateAttachment: 100,
  AddressesExhausted: 101,
} as const;

/** What a grpc-js handler passes to its callback to fail a call. */
export interface CniGrpcErrorStatus extends Error {
  code: GrpcCode;
  details: string;
  metadata: Metadata;
}

export class NetworkPluginError extends Error {
  override name = 'NetworkPluginError';

  constructor(
    /** The CNI error code. */
    readonly code: number,
    message: string,
    /** The gRPC status code the call ends with. */
    readonly grpcCode: GrpcCode,
    /** Longer explanation (the CNI `details`), for example a command's stderr. */
    readonly details = '',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static invalidArguments(message: string): NetworkPluginError {
    return new NetworkPluginError(CniErrorCode.InvalidArguments, message, GrpcCode.INVALID_ARGUMENT);
  }

  static incompatibleVersion(version: string, supported: readonly string[]): NetworkPluginError {
    return new NetworkPluginError(
      CniErrorCode.IncompatibleVersion,
      `CNI version ${version} is not supported (supported: ${supported.join(', ')})`,
      GrpcCode.INVALID_ARGUMENT,
    );
  }

  static duplicateAttachment(message: string): NetworkPluginError {
    return new NetworkPluginError(CniErrorCode.DuplicateAttachment, message, GrpcCode.ALREADY_EXISTS);
  }

  static addressesExhausted(range: string): NetworkPluginError {
    return new NetworkPluginError(
      CniErrorCode.AddressesExhausted,
      `no IP addresses available in range ${range}`,
      GrpcCode.RESOURCE_EXHAUSTED,
    );
  }

  /** Check found the attachment missing or different from what Add made. */
  static checkFailed(message: string): NetworkPluginError {
    return new NetworkPluginError(CniErrorCode.ContainerUnknown, message, GrpcCode.NOT_FOUND);
  }

  static ioFailure(message: string, details = '', cause?: unknown): NetworkPluginError {
    return new NetworkPluginError(CniErrorCode.IoFailure, message, GrpcCode.INTERNAL, details, { cause });
  }

  static notAvailable(message: string): NetworkPluginError {
    return new NetworkPluginError(CniErrorCode.PluginNotAvailable, message, GrpcCode.UNAVAILABLE);
  }

  /** The grpc-js error a server answers for this error. */
  toGrpcError(): CniGrpcErrorStatus {
    const metadata = new Metadata();
    const encoded = CniError.encode({ code: this.code, msg: this.message, details: this.details }).finish();
    metadata.set(CNI_ERROR_METADATA_KEY, Buffer.from(encoded));
    return Object.assign(new Error(this.message), { code: this.grpcCode, details: this.message, metadata });
  }
}

/**
 * Rebuilds the NetworkPluginError of a failed call: from the CniError in the trailers when
 * the plugin sent one, else from the gRPC code alone (the transport failed: the plugin is
 * down or restarting, which the caller should retry).
 */
export function networkPluginErrorOf(error: unknown): NetworkPluginError {
  if (error instanceof NetworkPluginError) return error;
  const code = grpcCodeFieldOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const sent = trailerOf(error);
  if (sent) {
    return new NetworkPluginError(sent.code, sent.msg, code ?? GrpcCode.UNKNOWN, sent.details, { cause: error });
  }
  const transient = code === GrpcCode.UNAVAILABLE || code === GrpcCode.DEADLINE_EXCEEDED;
  return new NetworkPluginError(
    transient ? CniErrorCode.TryAgainLater : CniErrorCode.IoFailure,
    message,
    code ?? GrpcCode.UNKNOWN,
    '',
    { cause: error },
  );
}

function grpcCodeFieldOf(error: unknown): GrpcCode | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as Record<string, unknown>).code;
  return typeof code === 'number' ? code : undefined;
}

function trailerOf(error: unknown): CniError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as Record<string, unknown>).metadata;
  if (!(metadata instanceof Metadata)) return undefined;
  const [value] = metadata.get(CNI_ERROR_METADATA_KEY);
  if (!Buffer.isBuffer(value)) return undefined;
  try {
    return CniError.decode(value);
  } catch {
    return undefined;
  }
}
