export type { EventHandler, InformerOptions, ListWatchClient } from './informer.js';
export { Informer } from './informer.js';
export { objectKey, splitKey } from './object-key.js';
export type { Indexers, IndexFunc, StoreReader } from './store.js';
export { NAMESPACE_INDEX, namespaceIndexFunc, Store } from './store.js';
