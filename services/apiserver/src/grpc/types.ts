/**
 * What the gRPC front end needs of the registries: a lookup by group, version and
 * resource. The apiserver's `createRegistries(storage)` satisfies it; tests pass a fake.
 */
import type { Binding, KubeObject, Status } from '@tkube/api';
import type { ResourceRegistry, WriteOptions } from '../registry/types.js';

export interface RegistryLookup {
  get(group: string, version: string, resource: string): ResourceRegistry | undefined;
}

/**
 * The pods registry serves pods/binding through this method: it sets spec.nodeName (and
 * the PodScheduled condition) and fails with Conflict when the pod is already bound.
 */
export interface BindingRegistry {
  bind(namespace: string, name: string, binding: Binding, options: WriteOptions): Promise<KubeObject | Status>;
}

export function canBind(registry: ResourceRegistry): registry is ResourceRegistry & BindingRegistry {
  return typeof (registry as Partial<BindingRegistry>).bind === 'function';
}
