/**
 * One registry per served resource, and the namespaces every cluster starts with.
 */
import { apiVersionOf, RESOURCES, type ResourceInfo, StatusError } from '@tkube/api';
import type { Storage } from '../storage/types.js';
import { StoredResourceRegistry } from './resource-registry.js';
import { strategyFor } from './strategies/index.js';
import type { ServiceRanges } from './strategies/service-ranges.js';
import type { ResourceRegistry } from './types.js';

export interface Registries {
  get(group: string, version: string, resource: string): ResourceRegistry | undefined;
  byKind(apiVersion: string, kind: string): ResourceRegistry | undefined;
  all(): ResourceRegistry[];
}

export interface RegistriesOptions {
  clock?: () => Date;
  /** The pools new Services draw from; kube's defaults (10.96.0.0/12, 30000-32767) when absent. */
  serviceRanges?: ServiceRanges;
}

export function createRegistries(storage: Storage, options: RegistriesOptions = {}): Registries {
  const registries = RESOURCES.map(
    (info: ResourceInfo) =>
      new StoredResourceRegistry(info, {
        storage,
        clock: options.clock,
        strategy: strategyFor(info, { serviceRanges: options.serviceRanges }),
      }),
  );
  const byPath = new Map(registries.map((r) => [`${r.info.group}/${r.info.version}/${r.info.resource}`, r]));
  const byKind = new Map(registries.map((r) => [`${apiVersionOf(r.info)}/${r.info.kind}`, r]));
  return {
    get: (group, version, resource) => byPath.get(`${group}/${version}/${resource}`),
    byKind: (apiVersion, kind) => byKind.get(`${apiVersion}/${kind}`),
    all: () => [...registries],
  };
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Creates the system namespaces that are missing. Safe to repeat and to run from two
 * apiservers at once: whoever loses the race to create one sees AlreadyExists and moves on.
 */
export async function ensureSystemNamespaces(registries: Registries): Promise<void> {
  const namespaces = registries.get('', 'v1', 'namespaces');
  if (!namespaces) throw StatusError.internal('the namespaces resource is not served');
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, {});
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'AlreadyExists') continue;
      throw err;
    }
  }
}
