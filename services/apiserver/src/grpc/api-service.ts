/**
 * The gRPC front end of the apiserver: translates each call of proto/api.proto into a
 * ResourceRegistry call and each StatusError into a gRPC status with the Status JSON in
 * the trailers. It holds no cluster logic: the registries own Kubernetes' semantics.
 */
import type { Metadata, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import type { Binding, DeleteOptions } from '@tkube/api';
import { grpcApi, StatusError, toStatusError } from '@tkube/api';
import type { ResourceRegistry } from '../registry/types.js';
import type { Authenticator } from './authentication.js';
import { listOptionsOf, patchSubresourceOf, patchTypeOf, watchOptionsOf, writeOptionsOf } from './request-options.js';
import { getSubresource, updateSubresource } from './subresources.js';
import type { RegistryLookup } from './types.js';
import { canBind } from './types.js';
import { pipeWatch } from './watch-stream.js';

export interface GrpcServiceOptions {
  /** Decides whether a call may proceed; absent: every call is allowed. */
  authenticate?: Authenticator;
  /** Aborted when the server shuts down: open watch streams then end. */
  shutdown?: AbortSignal;
  /** Told about failures that are the server's fault (5xx), for the log. */
  onServerError?: (method: string, error: StatusError) => void;
}

export function createGrpcService(
  registries: RegistryLookup,
  options: GrpcServiceOptions = {},
): grpcApi.ApiServerServer {
  const shutdown = options.shutdown ?? new AbortController().signal;

  const authorize = (metadata: Metadata): void => {
    if (options.authenticate && !options.authenticate(metadata)) throw StatusError.unauthorized();
  };

  const failure = (method: string, err: unknown): grpcApi.GrpcErrorStatus => {
    const error = toStatusError(err);
    if (error.code >= 500) options.onServerError?.(method, error);
    return grpcApi.toGrpcError(error);
  };

  function unary<Req, Res>(method: string, handle: (request: Req) => Promise<Res>) {
    return (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      Promise.resolve()
        .then(() => {
          authorize(call.metadata);
          return handle(call.request);
        })
        .then(
          (response) => callback(null, response),
          (err: unknown) => callback(failure(method, err)),
        );
    };
  }

  const resolve = (
    ref: grpcApi.ResourceRef | undefined,
  ): { registry: ResourceRegistry; namespace: string | undefined } => {
    if (!ref?.resource) throw StatusError.badRequest('the request names no resource');
    const registry = registries.get(ref.group, ref.version, ref.resource);
    if (!registry) {
      const qualified = ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
      throw StatusError.pathNotFound(`the server could not find the requested resource (${qualified}/${ref.version})`);
    }
    return { registry, namespace: ref.namespace || undefined };
  };

  const requireName = (name: string): string => {
    if (!name) throw StatusError.badRequest('resource name may not be empty');
    return name;
  };

  const objectResponse = (object: object): grpcApi.ObjectResponse => ({ object: grpcApi.toTypedObject(object) });

  return {
    get: unary('get', async (request: grpcApi.GetRequest) => {
      const { registry, namespace } = resolve(request.resource);
      return objectResponse(await registry.get(namespace, requireName(request.name)));
    }),

    list: unary('list', async (request: grpcApi.ListRequest): Promise<grpcApi.ListResponse> => {
      const { registry, namespace } = resolve(request.resource);
      const list = await registry.list(namespace, listOptionsOf(request.options));
      return { list: grpcApi.toTypedObject(list) };
    }),

    watch: (call) => {
      void (async () => {
        try {
          authorize(call.metadata);
          const { registry, namespace } = resolve(call.request.resource);
          const watch = await registry.watch(namespace, watchOptionsOf(call.request.options));
          await pipeWatch(call, watch, shutdown);
        } catch (err) {
          if (!call.cancelled) call.emit('error', failure('watch', err));
        }
      })();
    },

    create: unary('create', async (request: grpcApi.CreateRequest): Promise<grpcApi.WriteResponse> => {
      const { registry, namespace } = resolve(request.resource);
      const object = grpcApi.fromTypedObject(request.object);
      const result = await registry.create(namespace, object, writeOptionsOf(request.options));
      return { object: grpcApi.toTypedObject(result.object), warnings: result.warnings };
    }),

    update: unary('update', async (request: grpcApi.UpdateRequest): Promise<grpcApi.WriteResponse> => {
      const { registry, namespace } = resolve(request.resource);
      const object = grpcApi.fromTypedObject(request.object);
      const result = await registry.update(
        namespace,
        requireName(request.name),
        object,
        writeOptionsOf(request.options),
      );
      return { object: grpcApi.toTypedObject(result.object), warnings: result.warnings };
    }),

    updateStatus: unary('updateStatus', async (request: grpcApi.UpdateRequest): Promise<grpcApi.WriteResponse> => {
      const { registry, namespace } = resolve(request.resource);
      const object = grpcApi.fromTypedObject(request.object);
      const name = requireName(request.name);
      const result = await registry.updateStatus(namespace, name, object, writeOptionsOf(request.options));
      return { object: grpcApi.toTypedObject(result.object), warnings: result.warnings };
    }),

    patch: unary('patch', async (request: grpcApi.PatchRequest): Promise<grpcApi.WriteResponse> => {
      const { registry, namespace } = resolve(request.resource);
      const name = requireName(request.name);
      const type = patchTypeOf(request.type);
      const subresource = patchSubresourceOf(request.subresource);
      const options = { ...writeOptionsOf(request.options), ...(subresource ? { subresource } : {}) };
      const result = await registry.patch(namespace, name, type, request.patch, options);
      return { object: grpcApi.toTypedObject(result.object), warnings: result.warnings };
    }),

    delete: unary('delete', async (request: grpcApi.DeleteRequest) => {
      const { registry, namespace } = resolve(request.resource);
      const options = grpcApi.parseJsonObject<DeleteOptions>(request.optionsJson, 'DeleteOptions') ?? {};
      return objectResponse(await registry.delete(namespace, requireName(request.name), options));
    }),

    deleteCollection: unary(
      'deleteCollection',
      async (request: grpcApi.DeleteCollectionRequest): Promise<grpcApi.ListResponse> => {
        const { registry, namespace } = resolve(request.resource);
        const options = grpcApi.parseJsonObject<DeleteOptions>(request.optionsJson, 'DeleteOptions') ?? {};
        const list = await registry.deleteCollection(namespace, listOptionsOf(request.listOptions), options);
        return { list: grpcApi.toTypedObject(list) };
      },
    ),

    bind: unary('bind', async (request: grpcApi.BindRequest) => {
      if (!request.namespace) throw StatusError.badRequest('a binding needs the namespace of its pod');
      const { registry } = resolve({ group: '', version: 'v1', resource: 'pods', namespace: request.namespace });
      if (!canBind(registry)) throw StatusError.methodNotAllowed('pods/binding is not served');
      const name = requireName(request.name);
      const binding = grpcApi.parseJsonObject<Binding>(request.bindingJson, 'Binding');
      if (!binding) throw StatusError.badRequest('the Binding is missing from the request');
      return objectResponse(await registry.bind(request.namespace, name, binding, writeOptionsOf(request.options)));
    }),

    getSubresource: unary('getSubresource', async (request: grpcApi.SubresourceRequest) => {
      const { registry, namespace } = resolve(request.resource);
      return objectResponse(await getSubresource(registry, namespace, requireName(request.name), request.subresource));
    }),

    updateSubresource: unary(
      'updateSubresource',
      async (request: grpcApi.SubresourceRequest): Promise<grpcApi.WriteResponse> => {
        const { registry, namespace } = resolve(request.resource);
        const name = requireName(request.name);
        const object = grpcApi.fromTypedObject(request.object);
        const options = writeOptionsOf(request.options);
        const result = await updateSubresource(registry, namespace, name, request.subresource, object, options);
        return { object: grpcApi.toTypedObject(result.object), warnings: result.warnings };
      },
    ),
  };
}
