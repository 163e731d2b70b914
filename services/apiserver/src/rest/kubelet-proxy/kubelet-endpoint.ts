/**
 * Where a node's kubelet answers: an address from Node status.addresses and the port of
 * status.daemonEndpoints.kubeletEndpoint (10250 when unset), as kube-apiserver's
 * NodeConnectionInfoGetter. tkube kubelets report their InternalIP, so it is preferred.
 */
import { type Node, StatusError } from '@tkube/api';

export const DEFAULT_KUBELET_PORT = 10250;

/** The address types tried in order (kube-apiserver's --kubelet-preferred-address-types). */
export const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalIP', 'ExternalDNS'];

export interface KubeletEndpoint {
  host: string;
  port: number;
}

export function kubeletEndpoint(node: Node): KubeletEndpoint {
  const addresses = node.status?.addresses ?? [];
  let host: string | undefined;
  for (const type of PREFERRED_ADDRESS_TYPES) {
    host = addresses.find((address) => address.type === type && address.address !== '')?.address;
    if (host !== undefined) break;
  }
  if (host === undefined) {
    const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(' ');
    throw StatusError.internal(`no preferred addresses found; known addresses: [${known}]`);
  }
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return { host, port: port !== undefined && port > 0 ? port : DEFAULT_KUBELET_PORT };
}

/** The kubelet URL of one container's logs, exec or attach: /{what}/{namespace}/{pod}/{container}. */
export function kubeletUrl(
  endpoint: KubeletEndpoint,
  scheme: 'https' | 'wss',
  what: 'containerLogs' | 'exec' | 'attach',
  target: { namespace: string; pod: string; container: string },
  query: URLSearchParams,
): URL {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const path = [what, target.namespace, target.pod, target.container].map(encodeURIComponent).join('/');
  const url = new URL(`${scheme}://${host}:${endpoint.port}/${path}`);
  url.search = query.toString();
  return url;
}
