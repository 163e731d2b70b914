/**
 * Keeps the `kubernetes` Service and its endpoints, as kube-apiserver's kubernetesservice
 * controller and master endpoints reconciler do: at start and then every interval, this
 * apiserver's (advertise address, secure port) is listed in the Endpoints and slices and
 * the Service exists; on a clean stop the pair is taken out again, so clients are not sent
 * to an apiserver that is gone. Safe to run from several apiservers at once: a lost race
 * (409 AlreadyExists or Conflict) is read again and retried.
 *
 * An apiserver that dies without stopping stays listed until one starts again at its
 * address and port (kube's lease reconciler expires such entries; tkube has no lease yet).
 */
import { type EndpointSlice, type Endpoints, isStatusError, type KubeObject, type Service } from '@tkube/api';
import type { Logger } from 'pino';
import { jsonEqual } from '../registry/object-meta.js';
import type { Registries } from '../registry/registries.js';
import type { ResourceRegistry } from '../registry/types.js';
import {
  type ApiServerEndpoint,
  apiServerEndpointsOf,
  desiredEndpointSlices,
  desiredEndpoints,
  KUBERNETES_SERVICE_NAME,
  KUBERNETES_SERVICE_NAMESPACE,
  SERVICE_NAME_LABEL,
  sameEndpoint,
} from './apiserver-endpoints.js';
import { desiredKubernetesService, kubernetesServiceUpdate } from './kubernetes-service.js';

export interface KubernetesServiceSettings {
  /** The Service's ClusterIP: the first address of the service range. */
  clusterIP: string;
  /** This apiserver: its advertise address and secure port. */
  self: ApiServerEndpoint;
}

export interface KubernetesServiceControllerOptions {
  /** How often to check again; 0 checks only at start (kube: 10 s). */
  intervalMs?: number;
  /** How long a stop may spend taking this apiserver out of the endpoints. */
  removeTimeoutMs?: number;
  logger?: Logger;
}

export interface KubernetesServiceController {
  /** Stops checking and takes this apiserver out of the endpoints. Safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_REMOVE_TIMEOUT_MS = 2_000;
/** Writes that lose a race to another apiserver are tried again, a few times. */
const MAX_ATTEMPTS = 5;

/** Runs a first reconcile (its failure is logged, not thrown), then keeps at it. */
export async function startKubernetesServiceController(
  registries: Registries,
  settings: KubernetesServiceSettings,
  options: KubernetesServiceControllerOptions = {},
): Promise<KubernetesServiceController> {
  const logger = options.logger;
  let running: Promise<void> | undefined;
  const runOnce = (): Promise<void> => {
    running ??= reconcileKubernetesService(registries, settings)
      .catch((err: unknown) => logger?.warn({ err }, 'could not reconcile the kubernetes Service'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  await runOnce();
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const timer = intervalMs > 0 ? setInterval(() => void runOnce(), intervalMs) : undefined;
  timer?.unref();

  let stopping: Promise<void> | undefined;
  return {
    stop: () => {
      stopping ??= (async () => {
        clearInterval(timer);
        await running;
        const removal = removeApiServerEndpoint(registries, settings.self);
        const outcome = await withTimeout(removal, options.removeTimeoutMs ?? DEFAULT_REMOVE_TIMEOUT_MS);
        if (outcome === 'timeout') logger?.warn('gave up taking this apiserver out of the kubernetes endpoints');
      })().catch((err: unknown) =>
        logger?.warn({ err }, 'could not take this apiserver out of the kubernetes endpoints'),
      );
      return stopping;
    },
  };
}

/** Lists this apiserver in the endpoints, then makes sure the Service exists and points at a listed port. */
export async function reconcileKubernetesService(
  registries: Registries,
  settings: KubernetesServiceSettings,
): Promise<void> {
  const listed = await updateApiServerEndpoints(registries, (current) =>
    current.some((e) => sameEndpoint(e, settings.self)) ? current : [...current, settings.self],
  );
  await ensureKubernetesService(
    registryOf(registries, '', 'services'),
    settings,
    listed.map((e) => e.port),
  );
}

export async function removeApiServerEndpoint(registries: Registries, self: ApiServerEndpoint): Promise<void> {
  await updateApiServerEndpoints(registries, (current) => current.filter((e) => !sameEndpoint(e, self)));
}

async function ensureKubernetesService(
  services: ResourceRegistry,
  settings: KubernetesServiceSettings,
  listedPorts: number[],
): Promise<void> {
  await withRetries(async () => {
    const existing = (await getIfExists(services, KUBERNETES_SERVICE_NAME)) as Service | undefined;
    if (!existing) {
      await services.create(
        KUBERNETES_SERVICE_NAMESPACE,
        desiredKubernetesService(settings.clusterIP, settings.self.port),
        {},
      );
      return;
    }
    const update = kubernetesServiceUpdate(existing, settings.self.port, listedPorts);
    if (update) await services.update(KUBERNETES_SERVICE_NAMESPACE, KUBERNETES_SERVICE_NAME, update, {});
  });
}

/**
 * Applies `change` to the listed apiservers and writes the Endpoints and slices that list
 * the result, each only when it differs. Returns what is listed now.
 */
async function updateApiServerEndpoints(
  registries: Registries,
  change: (current: ApiServerEndpoint[]) => ApiServerEndpoint[],
): Promise<ApiServerEndpoint[]> {
  const endpointsRegistry = registryOf(registries, '', 'endpoints');
  const listed = await withRetries(async () => {
    const current = (await getIfExists(endpointsRegistry, KUBERNETES_SERVICE_NAME)) as Endpoints | undefined;
    const next = change(apiServerEndpointsOf(current));
    const desired = desiredEndpoints(next);
    if (!current) {
      await endpointsRegistry.create(KUBERNETES_SERVICE_NAMESPACE, desired, {});
    } else if (!jsonEqual(current.subsets ?? [], desired.subsets) || !hasLabels(current, desired)) {
      const labels = { ...current.metadata?.labels, ...desired.metadata?.labels };
      await endpointsRegistry.update(
        KUBERNETES_SERVICE_NAMESPACE,
        KUBERNETES_SERVICE_NAME,
        { ...current, metadata: { ...current.metadata, labels }, subsets: desired.subsets },
        {},
      );
    }
    return next;
  });
  await withRetries(() => syncSlices(registryOf(registries, 'discovery.k8s.io', 'endpointslices'), listed));
  return listed;
}

async function syncSlices(slices: ResourceRegistry, listed: ApiServerEndpoint[]): Promise<void> {
  const existing = (
    await slices.list(KUBERNETES_SERVICE_NAMESPACE, {
      labelSelector: `${SERVICE_NAME_LABEL}=${KUBERNETES_SERVICE_NAME}`,
    })
  ).items as EndpointSlice[];
  const desired = desiredEndpointSlices(listed);
  for (const slice of desired) {
    const name = slice.metadata?.name ?? '';
    const current = existing.find((s) => s.metadata?.name === name);
    if (!current) {
      await slices.create(KUBERNETES_SERVICE_NAMESPACE, slice, {});
    } else if (
      current.addressType !== slice.addressType ||
      !jsonEqual(current.endpoints ?? [], slice.endpoints) ||
      !jsonEqual(current.ports ?? [], slice.ports) ||
      !hasLabels(current, slice)
    ) {
      const labels = { ...current.metadata?.labels, ...slice.metadata?.labels };
      await slices.update(
        KUBERNETES_SERVICE_NAMESPACE,
        name,
        { ...current, metadata: { ...current.metadata, labels }, ...pick(slice) },
        {},
      );
    }
  }
  // Slices of ports no apiserver serves on any more (kube deletes every other slice of the Service).
  for (const stale of existing.filter((s) => !desired.some((d) => d.metadata?.name === s.metadata?.name))) {
    try {
      await slices.delete(KUBERNETES_SERVICE_NAMESPACE, stale.metadata?.name ?? '', {});
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
}

function pick(slice: EndpointSlice): Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'> {
  return { addressType: slice.addressType, endpoints: slice.endpoints, ports: slice.ports };
}

function hasLabels(current: KubeObject, desired: KubeObject): boolean {
  const labels = current.metadata?.labels ?? {};
  return Object.entries(desired.metadata?.labels ?? {}).every(([key, value]) => labels[key] === value);
}

async function getIfExists(registry: ResourceRegistry, name: string): Promise<KubeObject | undefined> {
  try {
    return await registry.get(KUBERNETES_SERVICE_NAMESPACE, name);
  } catch (err) {
    if (isStatusError(err, 'NotFound')) return undefined;
    throw err;
  }
}

/** Another apiserver wrote first (AlreadyExists, Conflict): read again and redo. */
async function withRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const lostRace = isStatusError(err, 'AlreadyExists') || isStatusError(err, 'Conflict');
      if (!lostRace || attempt >= MAX_ATTEMPTS) throw err;
    }
  }
}

function registryOf(registries: Registries, group: string, resource: string): ResourceRegistry {
  const registry = registries.get(group, 'v1', resource);
  if (!registry) throw new Error(`the ${resource} resource is not served`);
  return registry;
}

async function withTimeout(work: Promise<void>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work.then(() => 'done' as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
