/**
 * The kubelet's Service cache (kube's serviceLister): one informer over every namespace,
 * read by namespace when a container's environment is made.
 */
import type { Service } from '@tkube/api';
import { Informer, type ListWatchClient, NAMESPACE_INDEX } from '@tkube/client';
import type { ServiceLister } from './service-env.js';

export interface ServiceInformer {
  informer: Informer<Service>;
  lister: ServiceLister;
}

export function serviceInformer(client: ListWatchClient, onError: (err: unknown) => void): ServiceInformer {
  const informer = new Informer<Service>({
    client,
    resource: { group: '', version: 'v1', resource: 'services' },
    onError,
  });
  return {
    informer,
    lister: {
      hasSynced: () => informer.hasSynced(),
      servicesIn: (namespace) => informer.cache.byIndex(NAMESPACE_INDEX, namespace),
    },
  };
}
