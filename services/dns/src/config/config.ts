/** tkube-dns's configuration, as its flags set it: serve the cluster's names, or clean up and exit. */
import type { LogLevel } from '@tkube/process';

export interface ServeConfig {
  kind: 'serve';
  apiserverGrpc: string;
  tokenFile: string | undefined;
  /** Lower case, no trailing dot ("cluster.local"). */
  clusterDomain: string;
  /** The cluster's DNS ClusterIP (IPv4): the kube-dns Service's address and where this process listens. */
  listenAddress: string;
  /** UDP and TCP; 0 picks a free port (tests). */
  port: number;
  /** A link this process creates if missing and puts the listen address on (/32); none: the address is the host's already. */
  interfaceName: string | undefined;
  /** Where the kube-dns Service, its EndpointSlice and Endpoints are kept. */
  serviceNamespace: string;
  /** Where /healthz, /readyz and /metrics are served (plain HTTP); undefined: nowhere. */
  healthzBindAddress: string | undefined;
  logLevel: LogLevel;
}

export interface CleanupConfig {
  kind: 'cleanup';
  interfaceName: string;
  logLevel: LogLevel;
}

export type DnsConfig = ServeConfig | CleanupConfig;

export const DEFAULTS = {
  apiserverGrpc: '127.0.0.1:6444',
  clusterDomain: 'cluster.local',
  port: 53,
  serviceNamespace: 'kube-system',
  // CoreDNS' health port.
  healthzBindAddress: '127.0.0.1:8080',
  logLevel: 'info',
} as const;

/** CoreDNS' kubernetes plugin answers with a TTL of 5 s: short enough to follow pods that come and go. */
export const RECORD_TTL_SECONDS = 5;
