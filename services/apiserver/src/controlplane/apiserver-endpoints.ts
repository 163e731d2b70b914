/**
 * The Endpoints and EndpointSlices of the `kubernetes` Service: where the apiservers are.
 * They are written by the apiservers themselves (the Service has no selector, so the
 * endpoints controller leaves it alone), in the shape kube's master endpoints reconciler
 * writes: Endpoints labelled skip-mirror, a slice named `kubernetes` labelled only with the
 * service name, one endpoint per address, ready.
 *
 * Unlike kube, where every apiserver serves on the same port, tkube runs several
 * apiservers of one cluster on one host with different ports; each apiserver is therefore
 * an (address, port) pair, and the pairs are grouped by port: one Endpoints subset and one
 * slice per port (`kubernetes` for the lowest, `kubernetes-<port>` for the others).
 */
import type { EndpointSlice, Endpoints } from '@tkube/api';

export const KUBERNETES_SERVICE_NAME = 'kubernetes';
export const KUBERNETES_SERVICE_NAMESPACE = 'default';
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const HTTPS_PORT_NAME = 'https';

export interface ApiServerEndpoint {
  readonly ip: string;
  readonly port: number;
}

export function sameEndpoint(a: ApiServerEndpoint, b: ApiServerEndpoint): boolean {
  return a.ip === b.ip && a.port === b.port;
}

/** The apiservers an Endpoints object lists: every ready address with every port of its subset. */
export function apiServerEndpointsOf(endpoints: Endpoints | undefined): ApiServerEndpoint[] {
  const found: ApiServerEndpoint[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    for (const address of subset.addresses ?? []) {
      for (const port of subset.ports ?? []) {
        const endpoint = { ip: address.ip, port: port.port };
        if (!found.some((e) => sameEndpoint(e, endpoint))) found.push(endpoint);
      }
    }
  }
  return found;
}

/** Pairs grouped by port, ports ascending, addresses sorted: a stable form to compare and write. */
export function groupByPort(endpoints: readonly ApiServerEndpoint[]): Array<{ port: number; ips: string[] }> {
  const byPort = new Map<number, Set<string>>();
  for (const { ip, port } of endpoints) {
    const ips = byPort.get(port) ?? new Set<string>();
    ips.add(ip);
    byPort.set(port, ips);
  }
  return [...byPort.entries()].sort(([a], [b]) => a - b).map(([port, ips]) => ({ port, ips: [...ips].sort() }));
}

export function desiredEndpoints(endpoints: readonly ApiServerEndpoint[]): Endpoints {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: {
      name: KUBERNETES_SERVICE_NAME,
      namespace: KUBERNETES_SERVICE_NAMESPACE,
      labels: { [SKIP_MIRROR_LABEL]: 'true' },
    },
    subsets: groupByPort(endpoints).map(({ port, ips }) => ({
      addresses: ips.map((ip) => ({ ip })),
      ports: [{ name: HTTPS_PORT_NAME, port, protocol: 'TCP' }],
    })),
  };
}

/** One slice per port; the first keeps the plain name, as a cluster with one port has just `kubernetes`. */
export function desiredEndpointSlices(endpoints: readonly ApiServerEndpoint[]): EndpointSlice[] {
  const groups = groupByPort(endpoints);
  if (groups.length === 0) return [slice(KUBERNETES_SERVICE_NAME, [], undefined)];
  return groups.map(({ port, ips }, i) =>
    slice(i === 0 ? KUBERNETES_SERVICE_NAME : `${KUBERNETES_SERVICE_NAME}-${port}`, ips, port),
  );
}

function slice(name: string, ips: string[], port: number | undefined): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name,
      namespace: KUBERNETES_SERVICE_NAMESPACE,
      labels: { [SERVICE_NAME_LABEL]: KUBERNETES_SERVICE_NAME },
    },
    addressType: 'IPv4',
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    ports: port === undefined ? [] : [{ name: HTTPS_PORT_NAME, port, protocol: 'TCP' }],
  };
}
