/**
 * Subresources with their own shape, served through GetSubresource/UpdateSubresource:
 * status (the whole object, only .status written), scale (autoscaling/v1 Scale) and
 * finalize (namespaces). What a registry does not serve is 404, as on the REST API.
 */

import type { KubeObject, Scale } from '@tkube/api';
import { StatusError } from '@tkube/api';
import type { ResourceRegistry, WriteOptions, WriteResult } from '../registry/types.js';

function notServed(registry: ResourceRegistry, subresource: string): StatusError {
  const { group, resource } = registry.info;
  const qualified = group ? `${resource}.${group}` : resource;
  return StatusError.pathNotFound(`the server could not find the requested resource (${qualified}/${subresource})`);
}

export async function getSubresource(
  registry: ResourceRegistry,
  namespace: string | undefined,
  name: string,
  subresource: string,
): Promise<KubeObject | Scale> {
  if (subresource === 'status' && registry.info.subresources.includes('status')) return registry.get(namespace, name);
  if (subresource === 'scale' && registry.scale) return registry.scale.get(namespace, name);
  throw notServed(registry, subresource);
}

export async function updateSubresource(
  registry: ResourceRegistry,
  namespace: string | undefined,
  name: string,
  subresource: string,
  object: KubeObject,
  options: WriteOptions,
): Promise<WriteResult<KubeObject | Scale>> {
  if (subresource === 'status' && registry.info.subresources.includes('status')) {
    return registry.updateStatus(namespace, name, object, options);
  }
  if (subresource === 'scale' && registry.scale)
    return registry.scale.update(namespace, name, object as Scale, options);
  if (subresource === 'finalize' && registry.finalize) return registry.finalize(name, object, options);
  throw notServed(registry, subresource);
}
