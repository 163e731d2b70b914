/**
 * Turns a request path into what it addresses, following kube-apiserver's RequestInfo
 * rules: `/api/v1/...` and `/apis/{group}/{version}/...`, `namespaces/{ns}/` before the
 * resource, the legacy `watch/` prefix, and `namespaces/{name}/status|finalize` as
 * subresources of a namespace rather than resources inside it. Pure: no registry lookups.
 */
import type { HealthCheck } from '@tkube/process';

export interface ResourcePath {
  type: 'resource';
  group: string;
  version: string;
  /** The namespace from the path (`namespaces/{ns}/...`), or the name for namespaces themselves. */
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  /** The path used the legacy `/watch/` prefix. */
  legacyWatch: boolean;
}

export type Route =
  | { type: 'version' }
  | { type: 'metrics' }
  | { type: 'health'; check: HealthCheck }
  | { type: 'legacy-versions' }
  | { type: 'groups' }
  | { type: 'group'; group: string }
  | { type: 'resource-list'; group: string; version: string }
  | { type: 'openapi-v2' }
  | { type: 'openapi-v3-index' }
  | { type: 'openapi-v3'; group: string; version: string }
  | ResourcePath
  | { type: 'not-found' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function splitPath(pathname: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    // "." and ".." never name objects (names are DNS labels); refuse them outright.
    if (segment === '.' || segment === '..') return undefined;
    segments.push(segment);
  }
  return segments;
}

function resourceRoute(group: string, version: string, rest: string[]): Route {
  let parts = rest;
  let legacyWatch = false;
  if (parts[0] === 'watch') {
    legacyWatch = true;
    parts = parts.slice(1);
  }
  if (parts.length === 0) return { type: 'not-found' };
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) {
      parts = parts.slice(2);
    } else {
      // The namespace object itself: /namespaces/{name}[/status]
      const route: ResourcePath = {
        type: 'resource',
        group,
        version,
        resource: 'namespaces',
        name: namespace,
        legacyWatch,
      };
      if (parts.length > 2) route.subresource = parts[2];
      return parts.length > 3 ? { type: 'not-found' } : route;
    }
  }
  if (parts.length > 3) return { type: 'not-found' };
  const route: ResourcePath = { type: 'resource', group, version, resource: parts[0], legacyWatch };
  if (namespace !== undefined) route.namespace = namespace;
  if (parts.length > 1) route.name = parts[1];
  if (parts.length > 2) route.subresource = parts[2];
  return route;
}

export function route(pathname: string): Route {
  const segments = splitPath(pathname);
  if (!segments) return { type: 'not-found' };
  const [first, second, third, ...rest] = segments;
  switch (first) {
    case 'version':
      return segments.length === 1 ? { type: 'version' } : { type: 'not-found' };
    case 'metrics':
      return segments.length === 1 ? { type: 'metrics' } : { type: 'not-found' };
    case 'healthz':
    case 'livez':
    case 'readyz':
      // Individual checks (/healthz/ping, /readyz/etcd ...) answer like the aggregate.
      return { type: 'health', check: first };
    case 'api':
      if (second === undefined) return { type: 'legacy-versions' };
      if (second !== 'v1') return { type: 'not-found' };
      if (third === undefined) return { type: 'resource-list', group: '', version: 'v1' };
      return resourceRoute('', 'v1', [third, ...rest]);
    case 'apis': {
      if (second === undefined) return { type: 'groups' };
      if (third === undefined) return { type: 'group', group: second };
      if (rest.length === 0) return { type: 'resource-list', group: second, version: third };
      return resourceRoute(second, third, rest);
    }
    case 'openapi':
      if (second === 'v2' && third === undefined) return { type: 'openapi-v2' };
      if (second !== 'v3') return { type: 'not-found' };
      if (third === undefined) return { type: 'openapi-v3-index' };
      if (third === 'api' && rest.length === 1) return { type: 'openapi-v3', group: '', version: rest[0] };
      if (third === 'apis' && rest.length === 2) return { type: 'openapi-v3', group: rest[0], version: rest[1] };
      return { type: 'not-found' };
    default:
      return { type: 'not-found' };
  }
}
