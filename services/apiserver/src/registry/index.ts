export type { Registries, RegistriesOptions } from './registries.js';
export { createRegistries, ensureSystemNamespaces, SYSTEM_NAMESPACES } from './registries.js';
export type { NamespaceState, RegistryDependencies } from './resource-registry.js';
export { namespaceStateFromStorage, StoredResourceRegistry } from './resource-registry.js';
export type * from './types.js';
