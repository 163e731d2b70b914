/** The resources tkube-dns reads and writes. */
import type { ResourceTarget } from '@tkube/client';

export const SERVICES: ResourceTarget = { group: '', version: 'v1', resource: 'services' };
export const ENDPOINTS: ResourceTarget = { group: '', version: 'v1', resource: 'endpoints' };
export const ENDPOINT_SLICES: ResourceTarget = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

export function inNamespace(target: ResourceTarget, namespace: string): ResourceTarget {
  return { ...target, namespace };
}
