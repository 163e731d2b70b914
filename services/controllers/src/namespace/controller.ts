/**
 * The namespace controller: a namespace marked for deletion has everything in it deleted
 * (deleteCollection per namespaced resource), is rechecked until nothing is left (pods
 * terminate gracefully, so this takes a while), and then has its "kubernetes" finalizer
 * removed through the finalize subresource, after which the apiserver deletes it.
 */
import type { DeleteOptions, KubeList, KubeObject, Namespace } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import type { ListOptions, ResourceTarget, WriteOptions } from '@tkube/client';
import { RateLimitingQueue } from '@tkube/client';
import type { ControllerClient, Logger, RunningController, SharedInformers } from '../framework/index.js';
import { keyOf, runController } from '../framework/index.js';
import { awaitsFinalization, namespacedResources, withoutKubernetesFinalizer } from './namespace-content.js';

export const NAMESPACES: ResourceTarget = { group: '', version: 'v1', resource: 'namespaces' };

/** What the controller needs beyond the common client: ApiClient has both. */
export interface NamespaceClient extends ControllerClient {
  deleteCollection<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    listOptions?: ListOptions,
    options?: DeleteOptions,
  ): Promise<KubeList<T>>;
  updateSubresource<T extends KubeObject>(
    target: ResourceTarget,
    name: string,
    subresource: string,
    object: T,
    options?: WriteOptions,
  ): Promise<T>;
}

export interface NamespaceControllerDeps {
  client: NamespaceClient;
  informers: SharedInformers;
  logger: Logger;
  workers?: number;
  /** How long to wait before checking again that a namespace's content is gone. */
  recheckMs?: number;
  /** The resources to empty; the catalog's namespaced ones by default. */
  resources?: ResourceTarget[];
  queue?: RateLimitingQueue<string>;
}

export function startNamespaceController(deps: NamespaceControllerDeps): RunningController {
  const { client, informers, logger } = deps;
  const namespaces = informers.informerFor<Namespace>(NAMESPACES);
  const queue = deps.queue ?? new RateLimitingQueue<string>();
  const resources = deps.resources ?? namespacedResources();
  const recheckMs = deps.recheckMs ?? 2_000;

  const enqueue = (namespace: Namespace) => {
    if (awaitsFinalization(namespace)) queue.add(keyOf(namespace));
  };
  namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, namespace) => enqueue(namespace) });

  async function sync(name: string): Promise<void> {
    const namespace = namespaces.cache.get(name);
    if (!awaitsFinalization(namespace)) return;
    let remaining = 0;
    for (const resource of resources) {
      remaining += await emptyResource({ ...resource, namespace: name });
    }
    if (remaining > 0) {
      logger.debug({ namespace: name, remaining }, 'waiting for the namespace content to go');
      queue.addAfter(name, recheckMs);
      return;
    }
    await client.updateSubresource(NAMESPACES, name, 'finalize', withoutKubernetesFinalizer(namespace));
    logger.info({ namespace: name }, 'namespace emptied and finalized');
  }

  /** Deletes what is left of one resource in the namespace; answers how many objects remain. */
  async function emptyResource(target: ResourceTarget): Promise<number> {
    const before = await client.list(target);
    if (before.items.length === 0) return 0;
    try {
      await client.deleteCollection(target);
    } catch (err) {
      // A resource that cannot be deleted this way is not this namespace's problem to hold up on.
      if (isStatusError(err, 'NotFound') || isStatusError(err, 'MethodNotAllowed')) return 0;
      throw err;
    }
    const after = await client.list(target);
    return after.items.length;
  }

  return runController({
    name: 'namespace',
    queue,
    workers: deps.workers ?? 2,
    sync,
    hasSynced: () => namespaces.hasSynced(),
    logger,
  });
}
