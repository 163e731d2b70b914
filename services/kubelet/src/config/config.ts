/** What the kubelet process is told to be: the result of its flags. */
import { hostname } from 'node:os';
import type { LogLevel } from '@tkube/process';

export interface KubeletConfig {
  /** The Node's name; kube lowercases the hostname by default. */
  nodeName: string;
  /** tkube's kubeconfig: kept for kube's spelling; the gRPC address and token come from the flags below. */
  kubeconfig?: string;
  /** The apiserver's gRPC address ("host:port" or "unix:/path"). */
  apiserverGrpc: string;
  /** The apiserver's static token file; the kubelet uses the first line's token (first CSV column). */
  tokenFile?: string;
  /** "unix:///run/tkube/cri-docker.sock": the CRI runtime plugin. */
  containerRuntimeEndpoint: string;
  /** "unix:///run/tkube/cni-bridge.sock": the network plugin. */
  networkPluginEndpoint: string;
  /** This node's pod CIDR ("10.244.1.0/24") until a controller allocates them. */
  podCidr?: string;
  /** Pod directories, logs and the kubelet's certificate. */
  rootDir: string;
  /** The kubelet API (logs, exec) listens here. */
  address: string;
  port: number;
  /** The node's InternalIP. */
  nodeIp: string;
  maxPods: number;
  /** The cluster DNS servers (kube's --cluster-dns); none: ClusterFirst pods fall back to Default. */
  clusterDns: string[];
  /** The cluster's DNS domain: pods search <ns>.svc.<domain>, svc.<domain>, <domain>. */
  clusterDomain: string;
  /** The resolver file dnsPolicy Default pods get (""; no host DNS: 127.0.0.1 and search ".", as kube). */
  resolvConf: string;
  /** Seconds a Lease is valid; renewed every quarter of it (10 s for 40). */
  nodeLeaseDurationSeconds: number;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: KubeletConfig = {
  nodeName: hostname().toLowerCase(),
  apiserverGrpc: '127.0.0.1:6444',
  containerRuntimeEndpoint: 'unix:///run/tkube/cri-docker.sock',
  networkPluginEndpoint: 'unix:///run/tkube/cni-bridge.sock',
  rootDir: '/var/lib/tkube/kubelet',
  address: '127.0.0.1',
  port: 10250,
  nodeIp: '127.0.0.1',
  maxPods: 110,
  clusterDns: [],
  clusterDomain: 'cluster.local',
  resolvConf: '/etc/resolv.conf',
  nodeLeaseDurationSeconds: 40,
  logLevel: 'info',
};
