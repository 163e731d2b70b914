/**
 * The network plugin API (proto/cni/cni.proto): the CNI operations over gRPC on a unix
 * socket. The `@tkube/api/cni` entry: the generated messages and service (ts-proto,
 * `npm run proto`), the error both ends share, and a promise client.
 */

export type { CniAttachmentArgs, CniClient, CniClientOptions, CniDelArgs } from './cni-client.js';
export { connectCni } from './cni-client.js';
export * from './generated/cni/cni.js';
export type { CniGrpcErrorStatus } from './network-plugin-error.js';
export {
  CNI_ERROR_METADATA_KEY,
  CniErrorCode,
  NetworkPluginError,
  networkPluginErrorOf,
} from './network-plugin-error.js';
