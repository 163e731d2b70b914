/**
 * Makes the kube-dns Service, its EndpointSlice and its Endpoints exist as
 * kube-dns-objects.ts describes them. Safe to repeat: what exists and matches is left
 * alone, what differs is updated. A Service that exists at another ClusterIP is reported,
 * not replaced: a ClusterIP cannot change, and deleting a Service someone relies on is
 * not this program's call.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EndpointSlice, Endpoints, KubeObject, Service } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import type { ResourceTarget } from '@tkube/client';
import {
  KUBE_DNS_NAME,
  type KubeDnsTarget,
  kubeDnsEndpointSlice,
  kubeDnsEndpoints,
  kubeDnsService,
} from './kube-dns-objects.js';
import { ENDPOINT_SLICES, ENDPOINTS, inNamespace, SERVICES } from './resources.js';

/** What the ensurer needs of the apiserver client. */
export interface KubeDnsClient {
  get<T extends KubeObject>(target: ResourceTarget, name: string): Promise<T>;
  create<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T>;
  update<T extends KubeObject>(target: ResourceTarget, object: T): Promise<T>;
}

export interface EnsureResult {
  /** What was written: "created service", "updated endpointslice"... Empty when all was in place. */
  changes: string[];
  /** The ClusterIP of a kube-dns Service that was found at another address. */
  conflictingClusterIP?: string;
}

export async function ensureKubeDns(client: KubeDnsClient, target: KubeDnsTarget): Promise<EnsureResult> {
  const changes: string[] = [];
  const services = inNamespace(SERVICES, target.namespace);
  let service = await getIfExists<Service>(client, services);
  if (!service) {
    service = await createOrGet(client, services, kubeDnsService(target), () => changes.push('created service'));
  }
  const clusterIP = service.spec?.clusterIP;
  const result: EnsureResult = { changes };
  if (clusterIP !== target.address) result.conflictingClusterIP = clusterIP ?? '';

  await ensureObject<EndpointSlice>(
    client,
    inNamespace(ENDPOINT_SLICES, target.namespace),
    kubeDnsEndpointSlice(target, service),
    ['addressType', 'endpoints', 'ports'],
    (what) => changes.push(`${what} endpointslice`),
  );
  await ensureObject<Endpoints>(
    client,
    inNamespace(ENDPOINTS, target.namespace),
    kubeDnsEndpoints(target),
    ['subsets'],
    (what) => changes.push(`${what} endpoints`),
  );
  return result;
}

/** Creates `desired`, or updates the listed fields, labels and owners of what exists when they differ. */
async function ensureObject<T extends KubeObject>(
  client: KubeDnsClient,
  target: ResourceTarget,
  desired: T,
  fields: readonly string[],
  wrote: (what: 'created' | 'updated') => void,
): Promise<void> {
  const current = await getIfExists<T>(client, target);
  if (!current) {
    await client.create(target, desired);
    wrote('created');
    return;
  }
  const labels = { ...(current.metadata?.labels ?? {}), ...(desired.metadata?.labels ?? {}) };
  const owners = desired.metadata?.ownerReferences ?? current.metadata?.ownerReferences;
  const same =
    fields.every((field) => isDeepStrictEqual(current[field], desired[field])) &&
    isDeepStrictEqual(current.metadata?.labels ?? {}, labels) &&
    isDeepStrictEqual(current.metadata?.ownerReferences, owners);
  if (same) return;
  const update: KubeObject = { ...current, metadata: { ...current.metadata, labels, ownerReferences: owners } };
  for (const field of fields) update[field] = desired[field];
  await client.update(target, update);
  wrote('updated');
}

async function getIfExists<T extends KubeObject>(
  client: KubeDnsClient,
  target: ResourceTarget,
): Promise<T | undefined> {
  try {
    return await client.get<T>(target, KUBE_DNS_NAME);
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Another writer may create it between our get and create: then theirs is the one. */
async function createOrGet<T extends KubeObject>(
  client: KubeDnsClient,
  target: ResourceTarget,
  desired: T,
  created: () => void,
): Promise<T> {
  try {
    const object = await client.create(target, desired);
    created();
    return object;
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
    return client.get<T>(target, KUBE_DNS_NAME);
  }
}
