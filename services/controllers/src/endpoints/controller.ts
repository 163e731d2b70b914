/**
 * The Endpoints and EndpointSlice controller: for every Service with a selector, keeps an
 * Endpoints object of the same name and its EndpointSlices equal to what the selected pods
 * say (desired-endpoints.ts, desired-slices.ts). Level-triggered: a Service key is synced
 * from the caches; writes happen only when something differs.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EndpointSlice, Endpoints, KubeObject, Pod, Service } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import { NAMESPACE_INDEX, RateLimitingQueue } from '@tkube/client';
import type { ControllerClient, Logger, RunningController, SharedInformers } from '../framework/index.js';
import { keyOf, runController, splitKey } from '../framework/index.js';
import { desiredEndpoints } from './desired-endpoints.js';
import { CONTROLLER_NAME, desiredEndpointSlices, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from './desired-slices.js';
import { ENDPOINT_SLICES, ENDPOINTS, inNamespace, PODS, SERVICES } from './resources.js';
import { hasSelector, selectorMatches } from './selected-pods.js';

export interface EndpointsControllerDeps {
  client: ControllerClient;
  informers: SharedInformers;
  logger: Logger;
  /** Parallel syncs (kube's --concurrent-endpoint-syncs, default 5). */
  workers?: number;
  queue?: RateLimitingQueue<string>;
}

export function startEndpointsController(deps: EndpointsControllerDeps): RunningController {
  const { client, informers, logger } = deps;
  const services = informers.informerFor<Service>(SERVICES);
  const pods = informers.informerFor<Pod>(PODS);
  const endpoints = informers.informerFor<Endpoints>(ENDPOINTS);
  const slices = informers.informerFor<EndpointSlice>(ENDPOINT_SLICES);
  const queue = deps.queue ?? new RateLimitingQueue<string>();

  const enqueueService = (service: Service) => queue.add(keyOf(service));
  const enqueueServicesOf = (pod: Pod) => {
    for (const service of services.cache.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '')) {
      if (selectorMatches(service, pod)) enqueueService(service);
    }
  };

  services.addEventHandler({
    onAdd: enqueueService,
    onUpdate: (_old, service) => enqueueService(service),
    onDelete: enqueueService,
  });
  pods.addEventHandler({
    onAdd: enqueueServicesOf,
    onUpdate: (oldPod, newPod) => {
      if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return;
      // Labels may have changed: both the services it left and those it joined care.
      enqueueServicesOf(oldPod);
      enqueueServicesOf(newPod);
    },
    onDelete: enqueueServicesOf,
  });
  // Someone else changing or deleting what we own: put it back.
  endpoints.addEventHandler({ onDelete: (object) => queue.add(keyOf(object)) });
  slices.addEventHandler({
    onUpdate: (_old, slice) => enqueueOwner(slice),
    onDelete: (slice) => enqueueOwner(slice),
  });
  function enqueueOwner(slice: EndpointSlice): void {
    const labels = slice.metadata?.labels ?? {};
    const service = labels[SERVICE_NAME_LABEL];
    if (service && labels[MANAGED_BY_LABEL] === CONTROLLER_NAME) queue.add(`${slice.metadata?.namespace}/${service}`);
  }

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const service = services.cache.get(key);
    const ownedSlices = slices.cache
      .byIndex(NAMESPACE_INDEX, namespace)
      .filter(
        (s) =>
          s.metadata?.labels?.[SERVICE_NAME_LABEL] === name &&
          s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME,
      );
    if (!service) {
      // The Service is gone: its Endpoints go with it (slices also have an ownerReference).
      if (endpoints.cache.get(key)) await ignoreNotFound(client.delete(inNamespace(ENDPOINTS, namespace), name));
      for (const slice of ownedSlices) await deleteSlice(namespace, slice);
      return;
    }
    if (!hasSelector(service)) return;
    const selected = pods.cache.byIndex(NAMESPACE_INDEX, namespace);
    await syncEndpoints(namespace, desiredEndpoints(service, selected), endpoints.cache.get(key));
    await syncSlices(namespace, desiredEndpointSlices(service, selected), ownedSlices);
  }

  async function syncEndpoints(namespace: string, desired: Endpoints, current: Endpoints | undefined): Promise<void> {
    const target = inNamespace(ENDPOINTS, namespace);
    if (!current) {
      await client.create(target, desired);
      return;
    }
    if (sameContent(current, desired, ['subsets'])) return;
    await client.update(target, { ...current, metadata: mergeMetadata(current, desired), subsets: desired.subsets });
  }

  async function syncSlices(namespace: string, desired: EndpointSlice[], current: EndpointSlice[]): Promise<void> {
    const target = inNamespace(ENDPOINT_SLICES, namespace);
    const byName = new Map(current.map((slice) => [slice.metadata?.name ?? '', slice]));
    for (const slice of desired) {
      const existing = byName.get(slice.metadata?.name ?? '');
      byName.delete(slice.metadata?.name ?? '');
      if (!existing) {
        await client.create(target, slice);
      } else if (
        !sameContent(existing, slice, ['addressType', 'endpoints', 'ports']) ||
        !isDeepStrictEqual(existing.metadata?.ownerReferences, slice.metadata?.ownerReferences)
      ) {
        await client.update(target, { ...existing, ...slice, metadata: mergeMetadata(existing, slice) });
      }
    }
    for (const stale of byName.values()) await deleteSlice(namespace, stale);
  }

  async function deleteSlice(namespace: string, slice: EndpointSlice): Promise<void> {
    await ignoreNotFound(client.delete(inNamespace(ENDPOINT_SLICES, namespace), slice.metadata?.name ?? ''));
  }

  const controller = runController({
    name: 'endpoints',
    queue,
    workers: deps.workers ?? 5,
    sync,
    hasSynced: () => services.hasSynced() && pods.hasSynced() && endpoints.hasSynced() && slices.hasSynced(),
    logger,
  });
  return controller;
}

/** Equal labels and equal given fields: nothing to write. */
function sameContent(current: KubeObject, desired: KubeObject, fields: string[]): boolean {
  if (!isDeepStrictEqual(current.metadata?.labels ?? {}, desired.metadata?.labels ?? {})) return false;
  return fields.every((field) => isDeepStrictEqual(current[field], desired[field]));
}

/** The stored metadata (uid, resourceVersion for compare-and-set) with the desired labels and owners. */
function mergeMetadata(current: KubeObject, desired: KubeObject): KubeObject['metadata'] {
  return {
    ...current.metadata,
    labels: desired.metadata?.labels ?? {},
    ...(desired.metadata?.ownerReferences ? { ownerReferences: desired.metadata.ownerReferences } : {}),
  };
}

async function ignoreNotFound(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return;
    throw err;
  }
}
