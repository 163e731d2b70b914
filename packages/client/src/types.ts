/**
 * The shapes the client speaks in: which resource a call is about, and the options of
 * list, watch and writes (the same as the REST API's query parameters).
 */
import type { KubeObject, ListOptions, PatchType, WatchEvent, WatchOptions, WriteOptions } from '@tkube/api';

export type { ListOptions, PatchType, WatchOptions, WriteOptions };

/**
 * Names a resource collection. A ResourceInfo from the catalog fits; `namespace` scopes
 * namespaced resources (absent: across all namespaces for list and watch).
 */
export interface ResourceTarget {
  group: string;
  version: string;
  /** The plural ("pods", "deployments"). */
  resource: string;
  namespace?: string;
}

export interface PatchOptions extends WriteOptions {
  /** Patch the status subresource instead of the main resource. */
  subresource?: 'status';
}

/**
 * A running watch: iterate its events; `stop()` ends the iteration cleanly. A failure
 * (including an ERROR event, such as 410 Expired) is thrown from the iteration as a
 * StatusError; an iteration that simply ends means the server closed the stream.
 */
export interface WatchStream<T extends KubeObject = KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
}
