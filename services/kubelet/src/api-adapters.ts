/**
 * The kubelet's uses of the apiserver, as the narrow interfaces its modules take: events,
 * pod status patches, ConfigMaps and Secrets (absent is undefined), pod deletion, node
 * and lease writes. All over the one ApiClient.
 */
import type { ConfigMap, Event, Pod, PodStatus, Secret } from '@tkube/api';
import { isStatusError } from '@tkube/api';
import type { ApiClient } from '@tkube/client';
import type { ConfigSource } from './env/container-env.js';
import type { EventSink } from './events/recorder.js';
import type { NodeApi } from './node/node-agent.js';
import type { StatusWriter } from './status/status-manager.js';

const core = (resource: string, namespace?: string) => ({
  group: '',
  version: 'v1',
  resource,
  ...(namespace ? { namespace } : {}),
});

export function eventSinkOf(client: ApiClient): EventSink {
  return {
    create: (event: Event) => client.create(core('events', event.metadata?.namespace), event),
    patchCount: (namespace, name, count, lastTimestamp) =>
      client.patch(core('events', namespace), name, 'merge', { count, lastTimestamp }),
  };
}

export function statusWriterOf(client: ApiClient): StatusWriter {
  return {
    patchStatus: (namespace, name, uid, status: PodStatus) =>
      client.patch<Pod>(
        core('pods', namespace),
        name,
        'merge',
        { metadata: { uid }, status },
        { subresource: 'status' },
      ),
  };
}

export function configSourceOf(client: ApiClient): ConfigSource {
  const getOrUndefined = async <T>(resource: string, namespace: string, name: string): Promise<T | undefined> => {
    try {
      return (await client.get(core(resource, namespace), name)) as T;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  };
  return {
    getConfigMap: (namespace, name) => getOrUndefined<ConfigMap>('configmaps', namespace, name),
    getSecret: (namespace, name) => getOrUndefined<Secret>('secrets', namespace, name),
  };
}

export function nodeApiOf(client: ApiClient): NodeApi {
  return {
    get: async <T>(target: Parameters<NodeApi['get']>[0], name: string) => (await client.get(target, name)) as T,
    create: (target, object) => client.create(target, object as never),
    update: (target, object) => client.update(target, object as never),
    patch: async <T>(...args: Parameters<NodeApi['patch']>) => (await client.patch(...args)) as T,
  };
}
