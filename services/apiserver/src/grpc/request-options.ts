/**
 * Translates the option messages of the gRPC API into the registry's options. Proto3
 * has no "absent" for scalars, so empty strings and zeros mean "not given".
 */
import { grpcApi, StatusError } from '@tkube/api';
import type { ListOptions, PatchType, WatchOptions, WriteOptions } from '../registry/types.js';

export function listOptionsOf(message: grpcApi.ListOptions | undefined): ListOptions {
  const options: ListOptions = {};
  if (!message) return options;
  if (message.labelSelector) options.labelSelector = message.labelSelector;
  if (message.fieldSelector) options.fieldSelector = message.fieldSelector;
  if (message.limit < 0) throw StatusError.badRequest(`limit must not be negative: ${message.limit}`);
  if (message.limit > 0) options.limit = message.limit;
  if (message.continue) options.continue = message.continue;
  if (message.resourceVersion) options.resourceVersion = message.resourceVersion;
  return options;
}

export function watchOptionsOf(message: grpcApi.WatchOptions | undefined): WatchOptions {
  const options: WatchOptions = {};
  if (!message) return options;
  if (message.labelSelector) options.labelSelector = message.labelSelector;
  if (message.fieldSelector) options.fieldSelector = message.fieldSelector;
  if (message.resourceVersion) options.resourceVersion = message.resourceVersion;
  if (message.allowWatchBookmarks) options.allowWatchBookmarks = true;
  return options;
}

export function writeOptionsOf(message: grpcApi.WriteOptions | undefined): WriteOptions {
  const options: WriteOptions = {};
  if (!message) return options;
  if (message.dryRun) options.dryRun = true;
  if (message.fieldManager) options.fieldManager = message.fieldManager;
  return options;
}

export function patchTypeOf(type: grpcApi.PatchType): PatchType {
  switch (type) {
    case grpcApi.PatchType.PATCH_TYPE_JSON:
      return 'json';
    case grpcApi.PatchType.PATCH_TYPE_MERGE:
      return 'merge';
    case grpcApi.PatchType.PATCH_TYPE_STRATEGIC:
      return 'strategic';
    case grpcApi.PatchType.PATCH_TYPE_APPLY:
      return 'apply';
    default:
      throw StatusError.unsupportedMediaType(`patch type ${type}`);
  }
}

export function patchSubresourceOf(subresource: string): 'status' | undefined {
  if (subresource === '') return undefined;
  if (subresource === 'status') return 'status';
  throw StatusError.pathNotFound(`the server could not find the requested resource (subresource "${subresource}")`);
}
