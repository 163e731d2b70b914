/**
 * One Informer per resource, shared by every controller that asks for it (client-go's
 * SharedInformerFactory): one list+watch per resource however many controllers follow it.
 */
import type { KubeObject, StatusError } from '@tkube/api';
import type { Indexers, ListWatchClient, ResourceTarget } from '@tkube/client';
import { Informer } from '@tkube/client';

export interface SharedInformersOptions {
  client: ListWatchClient;
  /** Told about list/watch failures; the informers retry them. */
  onError?: (resource: string, error: StatusError) => void;
}

export class SharedInformers {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(private readonly options: SharedInformersOptions) {}

  /**
   * The informer of the resource, created on first request. Indexers passed by a later
   * caller are ignored (the store is built once): name indexes by what they mean.
   * Informers created after `start()` start at once.
   */
  informerFor<T extends KubeObject = KubeObject>(resource: ResourceTarget, indexers?: Indexers<T>): Informer<T> {
    const key = `${resource.group}/${resource.version}/${resource.resource}`;
    let informer = this.informers.get(key);
    if (!informer) {
      const onError = this.options.onError;
      informer = new Informer<KubeObject>({
        client: this.options.client,
        resource: { group: resource.group, version: resource.version, resource: resource.resource },
        indexers: indexers as Indexers<KubeObject> | undefined,
        onError: onError ? (error) => onError(resource.resource, error) : undefined,
      });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  start(): void {
    this.started = true;
    for (const informer of this.informers.values()) informer.start();
  }

  /** Resolves true once every informer created so far has synced; false if stopped first. */
  async waitForSync(signal?: AbortSignal): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].map((informer) => informer.waitForSync(signal)));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((informer) => informer.stop()));
  }
}
