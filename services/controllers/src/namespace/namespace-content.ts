/**
 * What deleting a namespace involves: every namespaced resource of the catalog is emptied,
 * and once nothing is left the "kubernetes" finalizer comes off (through the finalize
 * subresource), which lets the apiserver remove the namespace itself.
 */
import type { Namespace, ResourceInfo } from '@tkube/api';
import { RESOURCES } from '@tkube/api';
import type { ResourceTarget } from '@tkube/client';

/** The finalizer the apiserver puts on every namespace; this controller owns it. */
export const KUBERNETES_FINALIZER = 'kubernetes';

export function namespacedResources(catalog: readonly ResourceInfo[] = RESOURCES): ResourceTarget[] {
  return catalog
    .filter((info) => info.namespaced)
    .map(({ group, version, resource }) => ({ group, version, resource }));
}

/** A namespace being deleted whose content this controller has yet to remove. */
export function awaitsFinalization(namespace: Namespace | undefined): namespace is Namespace {
  if (!namespace?.metadata?.deletionTimestamp) return false;
  return (namespace.spec?.finalizers ?? []).includes(KUBERNETES_FINALIZER);
}

/** The body of the finalize call: the namespace with our finalizer taken off. */
export function withoutKubernetesFinalizer(namespace: Namespace): Namespace {
  return {
    ...namespace,
    spec: {
      ...namespace.spec,
      finalizers: (namespace.spec?.finalizers ?? []).filter((f) => f !== KUBERNETES_FINALIZER),
    },
  };
}
