/**
 * Reconciling an object's metadata with the request path: the namespace comes from the
 * path (a different one in the body is refused), cluster-scoped objects carry none, and an
 * update names the object it replaces.
 */
import { type KubeObject, type ResourceInfo, StatusError } from '@tkube/api';

export function scopeToPath(info: ResourceInfo, object: KubeObject, namespace: string | undefined): void {
  if (
    object.metadata !== undefined &&
    (typeof object.metadata !== 'object' || object.metadata === null || Array.isArray(object.metadata))
  ) {
    throw StatusError.badRequest(
      `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: metadata must be an object`,
    );
  }
  object.metadata ??= {};
  const metadata = object.metadata;
  if (!info.namespaced) {
    delete metadata.namespace;
    return;
  }
  if (metadata.namespace !== undefined && metadata.namespace !== '' && metadata.namespace !== namespace) {
    throw StatusError.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (namespace !== undefined) metadata.namespace = namespace;
}

export function nameToPath(object: KubeObject, name: string): void {
  object.metadata ??= {};
  const metadata = object.metadata;
  if (metadata.name === undefined || metadata.name === '') {
    metadata.name = name;
    return;
  }
  if (metadata.name !== name) {
    throw StatusError.badRequest(
      `the name of the object (${metadata.name}) does not match the name on the URL (${name})`,
    );
  }
}
