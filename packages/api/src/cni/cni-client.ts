/**
 * A promise client of the network plugin API (proto/cni/cni.proto) on a unix socket, as
 * the kubelet uses it. Every failure is thrown as a NetworkPluginError carrying the CNI
 * error code the plugin answered (or 11, try again later, when the plugin is unreachable).
 */
import type { ClientOptions, Metadata, ServiceError } from '@grpc/grpc-js';
import { credentials, Metadata as GrpcMetadata } from '@grpc/grpc-js';
import type {
  Attachment,
  GcResponse,
  Result,
  RuntimeConfig,
  StatusResponse,
  VersionResponse,
} from './generated/cni/cni.js';
import { NetworkPluginClient } from './generated/cni/cni.js';
import { NetworkPluginError, networkPluginErrorOf } from './network-plugin-error.js';

/** The arguments of one attachment: the CNI_* variables and the runtime config. */
export interface CniAttachmentArgs {
  containerId: string;
  /** Path of the sandbox's network namespace. Del accepts it empty or already gone. */
  netns: string;
  /** Defaults to "eth0". */
  ifname?: string;
  /** CNI_ARGS: K8S_POD_NAMESPACE, K8S_POD_NAME, K8S_POD_UID, ... */
  args?: Record<string, string>;
  runtimeConfig?: RuntimeConfig;
  /** Defaults to the plugin's newest version. */
  cniVersion?: string;
}

export interface CniDelArgs extends CniAttachmentArgs {
  prevResult?: Result;
}

export interface CniClientOptions {
  /** Deadline of each call. Add runs several commands, so it is generous by default. */
  callTimeoutMs?: number;
}

export interface CniClient {
  add(attachment: CniAttachmentArgs): Promise<Result>;
  /** Idempotent: succeeds when the attachment or its namespace is already gone. */
  del(attachment: CniDelArgs): Promise<void>;
  check(attachment: CniDelArgs): Promise<void>;
  version(): Promise<VersionResponse>;
  status(): Promise<StatusResponse>;
  /** Releases every attachment the plugin holds that is not listed; answers how many. */
  gc(validAttachments: Attachment[]): Promise<number>;
  /** Resolves once the socket answers; rejects after the timeout. */
  waitForReady(timeoutMs?: number): Promise<void>;
  close(): void;
}

const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const DEFAULT_IFNAME = 'eth0';

const CHANNEL_OPTIONS: Partial<ClientOptions> = {
  // grpc's default reconnect back-off grows to 2 minutes: far too slow to notice that a
  // restarted plugin is back.
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

/**
 * Connects to the plugin at `endpoint`: "unix:///run/tkube/cni-bridge.sock" or a bare
 * socket path. The channel connects on the first call and reconnects by itself.
 */
export function connectCni(endpoint: string, options: CniClientOptions = {}): CniClient {
  const raw = new NetworkPluginClient(addressOf(endpoint), credentials.createInsecure(), CHANNEL_OPTIONS);
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;

  const unary = <Res>(
    call: (
      metadata: Metadata,
      deadline: { deadline: number },
      callback: (e: ServiceError | null, r: Res) => void,
    ) => void,
  ): Promise<Res> =>
    new Promise((resolve, reject) => {
      call(new GrpcMetadata(), { deadline: Date.now() + timeoutMs }, (error, response) => {
        if (error) reject(networkPluginErrorOf(error));
        else resolve(response);
      });
    });

  return {
    add: (attachment) => unary((m, o, cb) => raw.add(requestOf(attachment), m, o, cb)),
    del: async (attachment) => {
      await unary((m, o, cb) => raw.del({ ...requestOf(attachment), prevResult: attachment.prevResult }, m, o, cb));
    },
    check: async (attachment) => {
      await unary((m, o, cb) => raw.check({ ...requestOf(attachment), prevResult: attachment.prevResult }, m, o, cb));
    },
    version: () => unary((m, o, cb) => raw.version({}, m, o, cb)),
    status: () => unary((m, o, cb) => raw.status({}, m, o, cb)),
    gc: async (validAttachments) =>
      (await unary<GcResponse>((m, o, cb) => raw.gc({ validAttachments }, m, o, cb))).released,
    waitForReady: (readyTimeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        raw.waitForReady(Date.now() + readyTimeoutMs, (error) => {
          if (error)
            reject(
              NetworkPluginError.notAvailable(`the network plugin at ${endpoint} is not reachable: ${error.message}`),
            );
          else resolve();
        });
      }),
    close: () => raw.close(),
  };
}

function addressOf(endpoint: string): string {
  return endpoint.startsWith('/') ? `unix://${endpoint}` : endpoint;
}

function requestOf(attachment: CniAttachmentArgs) {
  return {
    containerId: attachment.containerId,
    netns: attachment.netns,
    ifname: attachment.ifname ?? DEFAULT_IFNAME,
    args: attachment.args ?? {},
    runtimeConfig: attachment.runtimeConfig,
    cniVersion: attachment.cniVersion ?? '',
  };
}
