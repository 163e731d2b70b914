/**
 * The client of the apiserver's gRPC API: typed list/watch/CRUD over proto/api.proto.
 * Every failure, from the apiserver or from the transport, is thrown as a StatusError,
 * the same error (reason, code, causes) the apiserver raised.
 */

import type { CallOptions, ClientOptions, ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { credentials, Metadata } from '@grpc/grpc-js';
import type { Binding, DeleteOptions, KubeList, KubeObject, Status, WatchEvent, WatchEventType } from '@tkube/api';
import { grpcApi, StatusError } from '@tkube/api';
import type {
  ListOptions,
  PatchOptions,
  PatchType,
  ResourceTarget,
  WatchOptions,
  WatchStream,
  WriteOptions,
} from './types.js';

export interface ApiClientOptions {
  /** "host:port" or "unix:/path/to.sock". */
  address: string;
  /** Sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** Deadline of each unary call; watches have none. */
  callTimeoutMs?: number;
  /**
   * Fail calls at once while the apiserver is unreachable, instead of waiting (up to the
   * call's deadline) for the connection to come back, as after an apiserver restart.
   */
  failFast?: boolean;
}

const DEFAULT_CALL_TIMEOUT_MS = 60_000;
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

const CHANNEL_OPTIONS: Partial<ClientOptions> = {
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  // Pings notice a dead apiserver under an idle watch, which otherwise waits forever.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 1,
  // grpc's default reconnect back-off grows to 2 minutes: far too slow to notice that a
  // restarted apiserver is back.
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 5_000,
};

const PATCH_TYPES: Record<PatchType, grpcApi.PatchType> = {
  json: grpcApi.PatchType.PATCH_TYPE_JSON,
  merge: grpcApi.PatchType.PATCH_TYPE_MERGE,
  strategic: grpcApi.PatchType.PATCH_TYPE_STRATEGIC,
  apply: grpcApi.PatchType.PATCH_TYPE_APPLY,
};

const WATCH_EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

type Callback<Res> = (error: ServiceError | null, response: Res) => void;

export class ApiClient {
  private readonly callTimeoutMs: number;
  private readonly waitForConnection: boolean;

  private constructor(
    private readonly raw: grpcApi.ApiServerClient,
    private readonly token: string | undefined,
    options: ApiClientOptions,
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.waitForConnection = !options.failFast;
  }

  /** Creates the client; the channel connects on the first call and reconnects by itself. */
  static connect(options: ApiClientOptions): ApiClient {
    // Plaintext for now (loopback and unix sockets); TLS comes with the apiserver's PKI.
    const raw = new grpcApi.ApiServerClient(options.address, credentials.createInsecure(), CHANNEL_OPTIONS);
    return new ApiClient(raw, options.token, options);
  }

  /** Resolves once the channel is connected; rejects with ServiceUnavailable after the timeout. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      this.raw.waitForReady(Date.now() + timeoutMs, (err) => {
        if (err) reject(StatusError.unavailable(`the apiserver is not reachable: ${err.message}`));
        else resolve();
      });
    });
  }

  close(): void {
    this.raw.close();
  }

  async get<T extends KubeObject = KubeObject>(target: ResourceTarget, name: string): Promise<T> {
    const response = await this.unary<grpcApi.ObjectResponse>((metadata, options, callback) =>
      this.raw.get({ resource: refOf(target), name }, metadata, options, callback),
    );
    return grpcApi.fromTypedObject(response.object) as T;
  }

  async list<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    options: ListOptions = {},
  ): Promise<KubeList<T>> {
    const response = await this.unary<grpcApi.ListResponse>((metadata, callOptions, callback) =>
      this.raw.list({ resource: refOf(target), options: listOptionsOf(options) }, metadata, callOptions, callback),
    );
    return listOf<T>(response.list);
  }

  watch<T extends KubeObject = KubeObject>(target: ResourceTarget, options: WatchOptions = {}): WatchStream<T> {
    const request: grpcApi.WatchRequest = {
      resource: refOf(target),
      options: {
        labelSelector: options.labelSelector ?? '',
        fieldSelector: options.fieldSelector ?? '',
        resourceVersion: options.resourceVersion ?? '',
        allowWatchBookmarks: options.allowWatchBookmarks ?? false,
      },
    };
    const call = this.raw.watch(request, this.metadata());
    return watchStreamOf<T>(call);
  }

  async create<T extends KubeObject>(target: ResourceTarget, object: T, options: WriteOptions = {}): Promise<T> {
    const resource = refOf(target, object);
    const response = await this.unary<grpcApi.WriteResponse>((metadata, callOptions, callback) =>
      this.raw.create(
        { resource, object: grpcApi.toTypedObject(object), options: writeOptionsOf(options) },
        metadata,
        callOptions,
        callback,
      ),
    );
    return grpcApi.fromTypedObject(response.object) as T;
  }

  /** Replaces the object named by its metadata; metadata.resourceVersion makes it compare-and-set. */
  async update<T extends KubeObject>(target: ResourceTarget, object: T, options: WriteOptions = {}): Promise<T> {
    return this.writeWhole('update', target, object, options);
  }

  /** Writes only the status of the object named by its metadata. */
  async updateStatus<T extends KubeObject>(target: ResourceTarget, object: T, options: WriteOptions = {}): Promise<T> {
    return this.writeWhole('updateStatus', target, object, options);
  }

  /** `patch` is the patch document: an object or array (sent as JSON), or its text. */
  async patch<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const body =
      typeof patch === 'string'
        ? Buffer.from(patch)
        : Buffer.isBuffer(patch)
          ? patch
          : Buffer.from(JSON.stringify(patch));
    const request: grpcApi.PatchRequest = {
      resource: refOf(target),
      name,
      type: PATCH_TYPES[type],
      patch: body,
      subresource: options.subresource ?? '',
      options: writeOptionsOf(options),
    };
    const response = await this.unary<grpcApi.WriteResponse>((metadata, callOptions, callback) =>
      this.raw.patch(request, metadata, callOptions, callback),
    );
    return grpcApi.fromTypedObject(response.object) as T;
  }

  /**
   * Deletes the object. Answers the object as deleted, or as it now is when finalizers or
   * a grace period keep it (metadata.deletionTimestamp set), or a Status.
   */
  async delete<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    options: DeleteOptions = {},
  ): Promise<T | Status> {
    const request: grpcApi.DeleteRequest = { resource: refOf(target), name, optionsJson: jsonBytes(options) };
    const response = await this.unary<grpcApi.ObjectResponse>((metadata, callOptions, callback) =>
      this.raw.delete(request, metadata, callOptions, callback),
    );
    return grpcApi.fromTypedObject(response.object) as T | Status;
  }

  async deleteCollection<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    listOptions: ListOptions = {},
    options: DeleteOptions = {},
  ): Promise<KubeList<T>> {
    const request: grpcApi.DeleteCollectionRequest = {
      resource: refOf(target),
      listOptions: listOptionsOf(listOptions),
      optionsJson: jsonBytes(options),
    };
    const response = await this.unary<grpcApi.ListResponse>((metadata, callOptions, callback) =>
      this.raw.deleteCollection(request, metadata, callOptions, callback),
    );
    return listOf<T>(response.list);
  }

  /** Binds a pod to a node (pods/binding); the binding's metadata names the pod. */
  async bind(namespace: string, binding: Binding, options: WriteOptions = {}): Promise<Status | KubeObject> {
    const name = binding.metadata?.name;
    if (!name) throw StatusError.badRequest('the binding must name its pod in metadata.name');
    const request: grpcApi.BindRequest = {
      namespace,
      name,
      bindingJson: jsonBytes({ apiVersion: 'v1', kind: 'Binding', ...binding }),
      options: writeOptionsOf(options),
    };
    const response = await this.unary<grpcApi.ObjectResponse>((metadata, callOptions, callback) =>
      this.raw.bind(request, metadata, callOptions, callback),
    );
    return grpcApi.fromTypedObject(response.object);
  }

  /** Reads a subresource: "scale" (a Scale) or "status" (the whole object). */
  async getSubresource<T extends KubeObject = KubeObject>(
    target: ResourceTarget,
    name: string,
    subresource: string,
  ): Promise<T> {
    const request: grpcApi.SubresourceRequest = { resource: refOf(target), name, subresource };
    const response = await this.unary<grpcApi.ObjectResponse>((metadata, callOptions, callback) =>
      this.raw.getSubresource(request, metadata, callOptions, callback),
    );
    return grpcApi.fromTypedObject(response.object) as T;
  }

  /** Writes a subresource: "scale" (a Scale: sets spec.replicas), "status", or "finalize" (namespaces). */
  async updateSubresource<T extends KubeObject>(
    target: ResourceTarget,
    name: string,
    subresource: string,
    object: T,
    options: WriteOptions = {},
  ): Promise<T> {
    const request: grpcApi.SubresourceRequest = {
      resource: refOf(target, object),
      name,
      subresource,
      object: grpcApi.toTypedObject(object),
      options: writeOptionsOf(options),
    };
    const response = await this.unary<grpcApi.WriteResponse>((metadata, callOptions, callback) =>
      this.raw.updateSubresource(request, metadata, callOptions, callback),
    );
    return grpcApi.fromTypedObject(response.object) as T;
  }

  private async writeWhole<T extends KubeObject>(
    verb: 'update' | 'updateStatus',
    target: ResourceTarget,
    object: T,
    options: WriteOptions,
  ): Promise<T> {
    const name = object.metadata?.name;
    if (!name) throw StatusError.badRequest('the object must name itself in metadata.name');
    const request: grpcApi.UpdateRequest = {
      resource: refOf(target, object),
      name,
      object: grpcApi.toTypedObject(object),
      options: writeOptionsOf(options),
    };
    const response = await this.unary<grpcApi.WriteResponse>((metadata, callOptions, callback) =>
      verb === 'update'
        ? this.raw.update(request, metadata, callOptions, callback)
        : this.raw.updateStatus(request, metadata, callOptions, callback),
    );
    return grpcApi.fromTypedObject(response.object) as T;
  }

  private unary<Res>(
    start: (metadata: Metadata, options: Partial<CallOptions>, callback: Callback<Res>) => void,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      const metadata = this.metadata();
      // grpc-js takes waitForReady as an option of the metadata, not of the call.
      if (this.waitForConnection) metadata.setOptions({ waitForReady: true });
      start(metadata, { deadline: Date.now() + this.callTimeoutMs }, (error, response) => {
        if (error) reject(grpcApi.fromGrpcError(error));
        else resolve(response);
      });
    });
  }

  private metadata(): Metadata {
    const metadata = new Metadata();
    if (this.token !== undefined) metadata.set('authorization', `Bearer ${this.token}`);
    return metadata;
  }
}

/** The namespace comes from the target, else from the object (writes of namespaced objects). */
function refOf(target: ResourceTarget, object?: KubeObject): grpcApi.ResourceRef {
  return {
    group: target.group,
    version: target.version,
    resource: target.resource,
    namespace: target.namespace ?? object?.metadata?.namespace ?? '',
  };
}

function listOptionsOf(options: ListOptions): grpcApi.ListOptions {
  return {
    labelSelector: options.labelSelector ?? '',
    fieldSelector: options.fieldSelector ?? '',
    limit: options.limit ?? 0,
    continue: options.continue ?? '',
    resourceVersion: options.resourceVersion ?? '',
  };
}

function writeOptionsOf(options: WriteOptions): grpcApi.WriteOptions {
  return { dryRun: options.dryRun ?? false, fieldManager: options.fieldManager ?? '' };
}

function jsonBytes(value: object): Buffer {
  return Object.keys(value).length === 0 ? Buffer.alloc(0) : Buffer.from(JSON.stringify(value));
}

function listOf<T extends KubeObject>(typed: grpcApi.TypedObject | undefined): KubeList<T> {
  const list = grpcApi.fromTypedObject(typed, 'list') as unknown as KubeList<T>;
  if (!Array.isArray(list.items)) throw StatusError.internal('the apiserver answered a list without items');
  list.metadata ??= {};
  return list;
}

function watchStreamOf<T extends KubeObject>(call: ClientReadableStream<grpcApi.WatchEvent>): WatchStream<T> {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    call.cancel();
  };
  async function* events(): AsyncGenerator<WatchEvent<T>> {
    try {
      for await (const message of call as AsyncIterable<grpcApi.WatchEvent>) {
        const event = watchEventOf<T>(message);
        if (event.type === 'ERROR') throw StatusError.fromStatus(event.object as unknown as Status);
        yield event;
      }
    } catch (err) {
      // The cancel of stop() surfaces as a CANCELLED error: that is the clean end.
      if (stopped) return;
      throw grpcApi.fromGrpcError(err);
    } finally {
      stop();
    }
  }
  const iterator = events();
  return {
    stop,
    [Symbol.asyncIterator]: () => iterator,
  };
}

function watchEventOf<T extends KubeObject>(message: grpcApi.WatchEvent): WatchEvent<T> {
  if (!WATCH_EVENT_TYPES.has(message.type)) {
    throw StatusError.internal(`the apiserver sent a watch event of unknown type "${message.type}"`);
  }
  return { type: message.type as WatchEventType, object: grpcApi.fromTypedObject(message.object) as T };
}
