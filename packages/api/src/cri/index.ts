/**
 * The Container Runtime Interface (proto/cri/api.proto, Kubernetes' runtime.v1 subset):
 * the generated messages and grpc-js services, plus what clients and servers share.
 * int64/uint64 fields are bigint (times are nanoseconds since the epoch).
 */

export type { CriConnection, ImageApi, RuntimeApi } from './connect.js';
export { connectCri } from './connect.js';
export { grpcTargetOf, socketPathOf } from './endpoint.js';
export * from './generated/cri/api.js';
export type { CriCallOptions, PromiseClient, RequestFillers, ResponseStream } from './promise-client.js';
export { promiseClient } from './promise-client.js';
export { KUBERNETES_CONTAINER_LABELS, KUBERNETES_POD_LABELS, millisToNanos, nanosToMillis } from './shared.js';
