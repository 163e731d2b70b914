/** The controller-manager's configuration, as its flags set it. */
import { hostname } from 'node:os';
import type { LogLevel } from '@tkube/process';

export interface ControllerManagerConfig {
  apiserverGrpc: string;
  tokenFile: string | undefined;
  /** kube's --controllers: "*" for all, "name" to enable, "-name" to disable. */
  controllers: string[];
  leaderElect: boolean;
  leaseName: string;
  leaseNamespace: string;
  identity: string;
  /** --pod-eviction-timeout: how long pods on an unreachable node stay (node lifecycle). */
  podEvictionTimeoutMs: number | undefined;
  /** --cluster-cidr: the pods' range, which node IPAM cuts into per-node blocks. */
  clusterCidr: string;
  /** --node-cidr-mask-size: the prefix length of each node's block. */
  nodeCidrMaskSize: number;
  /** Where /healthz, /readyz and /metrics are served (plain HTTP); undefined: nowhere. */
  healthzBindAddress: string | undefined;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: ControllerManagerConfig = {
  apiserverGrpc: '127.0.0.1:6444',
  tokenFile: undefined,
  controllers: ['*'],
  leaderElect: true,
  leaseName: 'kube-controller-manager',
  leaseNamespace: 'kube-system',
  identity: `${hostname()}_${process.pid}`,
  podEvictionTimeoutMs: undefined,
  clusterCidr: '10.244.0.0/16',
  nodeCidrMaskSize: 24,
  // kube-controller-manager's port (where it serves HTTPS); tkube serves plain HTTP on loopback.
  healthzBindAddress: '127.0.0.1:10257',
  logLevel: 'info',
};
