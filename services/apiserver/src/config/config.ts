/** What the apiserver process is told to be: the result of its flags. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Ipv4Cidr, LogLevel } from '@tkube/process';
import {
  DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  DEFAULT_SERVICE_NODE_PORT_RANGE,
  type PortRange,
} from '../registry/strategies/service-ranges.js';

export type StorageKind = 'memory' | 'nats';

export interface ApiServerConfig {
  storage: StorageKind;
  /** NATS URLs (a cluster's members); used when storage is "nats". */
  natsServers: string[];
  /** The JetStream KV bucket; the storage's own default when absent. */
  bucket?: string;
  /** Replicas of the bucket's stream (3 on a 3-node NATS cluster); the storage's default when absent. */
  replicas?: number;
  /**
   * Values kept per key when the bucket is made. The watch cache keeps its own history, so 1
   * serves one apiserver; several apiservers on one bucket want a few (5), so that one which
   * lags behind another's writes fills its gaps instead of reloading its cache.
   */
  history?: number;
  /** Address the HTTPS (Kubernetes REST) server listens on. */
  bindAddress: string;
  securePort: number;
  /**
   * The address written into the `kubernetes` Service's Endpoints: where pods reach this
   * apiserver. Absent: the bind address (or, for a wildcard, the host's first address).
   */
  advertiseAddress?: string;
  /** Where Services' ClusterIPs come from; its first address is the `kubernetes` Service's. */
  serviceClusterIPRange: Ipv4Cidr;
  /** Where NodePorts come from. */
  serviceNodePortRange: PortRange;
  /** "host:port", "[::1]:port" or "unix:/path/to.sock". */
  grpcAddress: string;
  /** Where the CA and the serving certificate are kept (made at first start). */
  certDir: string;
  /** Static token file ("token,user[,uid[,\"group,...\"]]" per line); absent: any token is anonymous. */
  tokenFile?: string;
  /**
   * A kube static token CSV whose first line's token the apiserver sends to kubelets
   * (logs, exec, attach); absent: kubelets are called without credentials.
   */
  kubeletTokenFile?: string;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: ApiServerConfig = {
  storage: 'nats',
  natsServers: ['nats://127.0.0.1:4222'],
  bindAddress: '127.0.0.1',
  securePort: 6443,
  serviceClusterIPRange: DEFAULT_SERVICE_CLUSTER_IP_RANGE,
  serviceNodePortRange: DEFAULT_SERVICE_NODE_PORT_RANGE,
  grpcAddress: '127.0.0.1:6444',
  certDir: join(homedir(), '.tkube', 'pki'),
  logLevel: 'info',
};
