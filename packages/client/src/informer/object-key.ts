/**
 * Cache keys, as client-go's MetaNamespaceKeyFunc: "namespace/name" for namespaced
 * objects, "name" for cluster-scoped ones. The key a controller puts in its work queue.
 */
import type { KubeObject } from '@tkube/api';

export function objectKey(object: KubeObject): string {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: undefined, name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
