/**
 * Resolves a resource path to its registry and verb, then hands the request to the
 * verb's handler. The verb comes from the method and the path's shape, as in
 * kube-apiserver: GET without a name lists (or watches), DELETE without a name deletes a
 * collection, writes need a name except create; namespaced objects need a namespace for
 * everything but all-namespace lists and watches.
 */
import { StatusError } from '@tkube/api';
import type { Registries } from '../registry/registries.js';
import { type AuthorizationAttributes, authorize } from './authentication.js';
import { servedSubresources } from './discovery.js';
import { deleteCollection, deleteObject } from './handlers/delete.js';
import { createEviction } from './handlers/eviction.js';
import { patchObject } from './handlers/patch.js';
import { getObject, listObjects } from './handlers/read.js';
import { getScale, patchScale, updateScale } from './handlers/scale.js';
import { createBinding, finalizeNamespace } from './handlers/subresources.js';
import { createObject, updateObject } from './handlers/write.js';
import { servePodLog } from './kubelet-proxy/pod-log.js';
import { requireUpgrade } from './kubelet-proxy/pod-stream-proxy.js';
import { isWatch } from './query-options.js';
import type { ResourceRequest } from './resource-request.js';
import type { ResourcePath } from './router.js';
import { serveWatch } from './watch.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

type Handler = (request: ResourceRequest) => Promise<void>;

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

const OBJECT_HANDLERS: Partial<Record<Verb, Handler>> = {
  get: getObject,
  list: listObjects,
  watch: serveWatch,
  create: createObject,
  update: updateObject,
  patch: patchObject,
  delete: deleteObject,
  deletecollection: deleteCollection,
};

const SUBRESOURCE_HANDLERS: Record<string, Partial<Record<Verb, Handler>>> = {
  status: { get: getObject, update: updateObject, patch: patchObject },
  scale: { get: getScale, update: updateScale, patch: patchScale },
  binding: { create: createBinding },
  eviction: { create: createEviction },
  finalize: { update: finalizeNamespace },
  log: { get: servePodLog },
  // Upgrades to a stream never reach the dispatcher (the server's 'upgrade' listener takes them).
  exec: { get: requireUpgrade, create: requireUpgrade },
  attach: { get: requireUpgrade, create: requireUpgrade },
};

/** The verb of a request, or a 405 for methods the path cannot take. */
export function verbOf(method: string, path: ResourcePath, query: URLSearchParams): Verb {
  const named = path.name !== undefined;
  if (path.legacyWatch) {
    if (method !== 'GET') throw StatusError.methodNotAllowed(METHOD_NOT_ALLOWED);
    return 'watch';
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (isWatch(query)) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      // Only subresources (pods/{name}/binding) take a POST on a named object.
      if (named && path.subresource === undefined) throw StatusError.methodNotAllowed(METHOD_NOT_ALLOWED);
      return 'create';
    case 'PUT':
      if (!named) throw StatusError.methodNotAllowed(METHOD_NOT_ALLOWED);
      return 'update';
    case 'PATCH':
      if (!named) throw StatusError.methodNotAllowed(METHOD_NOT_ALLOWED);
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      throw StatusError.methodNotAllowed(METHOD_NOT_ALLOWED);
  }
}

export interface DispatchInput
  extends Omit<ResourceRequest, 'registry' | 'info' | 'namespace' | 'name' | 'subresource'> {
  path: ResourcePath;
  registries: Registries;
}

export async function dispatchResource(input: DispatchInput): Promise<void> {
  const { path, registries, ...rest } = input;
  const registry = registries.get(path.group, path.version, path.resource);
  if (!registry) throw StatusError.pathNotFound();
  const info = registry.info;
  if (!info.namespaced && path.namespace !== undefined) throw StatusError.pathNotFound();
  if (
    path.subresource !== undefined &&
    (path.legacyWatch ||
      !SUBRESOURCE_HANDLERS[path.subresource] ||
      !servedSubresources(info).some((served) => served.name === path.subresource))
  ) {
    throw StatusError.pathNotFound();
  }
  const verb = verbOf(rest.req.method ?? 'GET', path, rest.query);
  if (info.namespaced && path.namespace === undefined && verb !== 'list' && verb !== 'watch') {
    throw StatusError.pathNotFound();
  }
  const handlers = path.subresource === undefined ? OBJECT_HANDLERS : SUBRESOURCE_HANDLERS[path.subresource];
  const handler = handlers[verb];
  if (!handler) throw StatusError.methodNotAllowed(METHOD_NOT_ALLOWED);
  const attributes: AuthorizationAttributes = { verb, group: info.group, resource: info.resource };
  if (path.subresource !== undefined) attributes.subresource = path.subresource;
  if (path.namespace !== undefined) attributes.namespace = path.namespace;
  if (path.name !== undefined) attributes.name = path.name;
  authorize(rest.user, attributes);
  const request: ResourceRequest = { ...rest, registry, info };
  if (path.namespace !== undefined) request.namespace = path.namespace;
  if (path.name !== undefined) request.name = path.name;
  if (path.subresource !== undefined) request.subresource = path.subresource;
  await handler(request);
}
