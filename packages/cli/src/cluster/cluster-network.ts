/**
 * The cluster's network as its components are told of it: the pods' range (node IPAM,
 * the network plugins, the proxies), the Services' range and NodePorts (the apiserver),
 * and the cluster DNS: the tenth address of the Services' range, as in Kubernetes, served
 * by tkube-dns on an interface of its own and written into each pod's resolv.conf.
 */
import { formatIpv4, parseCidr } from '@tkube/process';
import { DEFAULT_NODE_OPTIONS, type NodeOptions } from './node-settings.js';

export interface ClusterNetwork {
  clusterCidr: string;
  serviceCidr: string;
  nodePortRange: string;
  dnsAddress: string;
  dnsInterface: string;
  clusterDomain: string;
}

export const CLUSTER_DOMAIN = 'cluster.local';
const DNS_OFFSET = 10;

export function clusterNetworkOf(options: NodeOptions): ClusterNetwork {
  const services = parseCidr(options.serviceCidr);
  if (!services) throw new Error(`--service-cidr ${options.serviceCidr} is not an IPv4 network block`);
  return {
    clusterCidr: options.clusterCidr,
    serviceCidr: options.serviceCidr,
    nodePortRange: options.nodePortRange,
    dnsAddress: formatIpv4(services.network + DNS_OFFSET),
    dnsInterface: `${options.bridgePrefix}dns`,
    clusterDomain: CLUSTER_DOMAIN,
  };
}

/** The network `up` gave a context; the defaults' for a context that never starts anything. */
export function networkOf(network: ClusterNetwork | undefined): ClusterNetwork {
  return network ?? clusterNetworkOf(DEFAULT_NODE_OPTIONS);
}
