/** tkube-proxy's configuration, as its flags set it. */
import type { Ipv4Cidr, LogLevel } from '@tkube/process';

export interface ProxyConfig {
  apiserverGrpc: string;
  tokenFile: string | undefined;
  /** The Node this proxy serves: its addresses take NodePorts. */
  hostnameOverride: string;
  /** Unique per proxy on this host; every chain and jump this proxy writes carries it. */
  instance: string;
  /** Pods' range: ClusterIP traffic from outside it is masqueraded. */
  clusterCidr: Ipv4Cidr | undefined;
  /**
   * Where NodePorts answer. Empty: 127.0.0.1 plus the Node's addresses (read from its
   * status). A /32 matches that address; a wider block matches the host's own addresses in it.
   */
  nodePortAddresses: readonly Ipv4Cidr[];
  /** Masquerade all ClusterIP traffic (kube-proxy's --masquerade-all). */
  masqueradeAll: boolean;
  /** Remove every chain and jump of --instance, then exit. */
  cleanup: boolean;
  /** Where /healthz, /readyz and /metrics are served (plain HTTP); undefined: nowhere. */
  healthzBindAddress: string | undefined;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: ProxyConfig = {
  apiserverGrpc: '127.0.0.1:6444',
  tokenFile: undefined,
  hostnameOverride: '',
  instance: '',
  clusterCidr: undefined,
  nodePortAddresses: [],
  masqueradeAll: false,
  cleanup: false,
  // kube-proxy's port; on loopback rather than kube's 0.0.0.0.
  healthzBindAddress: '127.0.0.1:10256',
  logLevel: 'info',
};
