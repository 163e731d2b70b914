/**
 * The network plugin's operations as the gRPC server (server.ts) serves them, whoever
 * implements them: the BridgePlugin of a known block, or the NodeBlockPlugin in front of
 * it that learns the block first.
 */
import type {
  AddRequest,
  Attachment,
  CheckRequest,
  DelRequest,
  Result,
  StatusResponse,
  VersionResponse,
} from '@tkube/api/cni';

export interface NetworkPluginOperations {
  add(request: AddRequest): Promise<Result>;
  /** Idempotent: succeeds when the attachment, its container or its namespace are already gone. */
  del(request: DelRequest): Promise<void>;
  check(request: CheckRequest): Promise<void>;
  version(): VersionResponse;
  status(): Promise<StatusResponse>;
  /** Releases every attachment not listed; answers how many were released. */
  gc(validAttachments: readonly Attachment[]): Promise<number>;
}
