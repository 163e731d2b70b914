export { StoredResourceRegistry, namespaceStateFromStorage } from './resource-registry.js';
export type { NamespaceState, RegistryDependencies } from './resource-registry.js';
export { createRegistries, ensureSystemNamespaces, SYSTEM_NAMESPACES } from './registries.js';
export type { Registries, RegistriesOptions } from './registries.js';
export type * from './types.js';
