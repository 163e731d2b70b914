/**
 * The options of API calls, the same whether they arrive as REST query parameters or as a
 * gRPC request: one definition for the apiserver's registry and for the client.
 */

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** "" or absent: the newest state (a consistent read); "0": any cached state is fine. */
  resourceVersion?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Events after this version; absent or "0": start with ADDED for every existing object. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  // fieldValidation (unknown fields) is checked by the REST layer when it decodes the body.
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';
