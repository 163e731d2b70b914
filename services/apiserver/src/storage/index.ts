/** The apiserver's storage: the contract, its two implementations and the key scheme. */

export { type ParsedStorageKey, parseStorageKey, storageKey, storagePrefix } from './keys.js';
export { MemoryStorage, type MemoryStorageOptions } from './memory-storage.js';
export { DEFAULT_BUCKET, NatsStorage, type NatsStorageOptions } from './nats-storage.js';
export type { StorageLogger } from './storage-logger.js';
export {
  KeyExistsError,
  RevisionCompactedError,
  RevisionMismatchError,
  type Storage,
  type StorageEvent,
  type StorageEventType,
  type StorageSnapshot,
  type StorageWatch,
  type StoredObject,
} from './types.js';
