/**
 * What the REST and gRPC front ends call: one ResourceRegistry per served resource.
 * The registry owns Kubernetes' metadata semantics (uid, generateName, resourceVersion,
 * generation, finalizers, graceful deletion, namespaces, defaulting and validation);
 * the front ends only translate requests and map StatusErrors to their wire form.
 */
import type {
  Binding,
  DeleteOptions,
  KubeList,
  KubeObject,
  ListOptions,
  PatchType,
  ResourceInfo,
  Scale,
  Status,
  WatchEvent,
  WatchOptions,
  WriteOptions,
} from '@tkube/api';

export type { ListOptions, PatchType, WatchOptions, WriteOptions };

export interface WriteResult<T = KubeObject> {
  object: T;
  /** Warnings for the Warning header (unknown fields under fieldValidation=Warn). */
  warnings: string[];
}

export interface ResourceWatch {
  events: AsyncIterable<WatchEvent>;
  stop(): void;
}

export interface ResourceRegistry {
  readonly info: ResourceInfo;
  get(namespace: string | undefined, name: string): Promise<KubeObject>;
  list(namespace: string | undefined, options: ListOptions): Promise<KubeList>;
  watch(namespace: string | undefined, options: WatchOptions): Promise<ResourceWatch>;
  create(namespace: string | undefined, object: KubeObject, options: WriteOptions): Promise<WriteResult>;
  /** Updates the main resource; status changes in the body are ignored. */
  update(namespace: string | undefined, name: string, object: KubeObject, options: WriteOptions): Promise<WriteResult>;
  /** Writes only status (the status subresource). */
  updateStatus(
    namespace: string | undefined,
    name: string,
    object: KubeObject,
    options: WriteOptions,
  ): Promise<WriteResult>;
  patch(
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: Buffer,
    options: WriteOptions & { subresource?: 'status' },
  ): Promise<WriteResult>;
  /** Returns the object as deleted, or as it now is when finalizers or grace keep it. */
  delete(namespace: string | undefined, name: string, options: DeleteOptions): Promise<KubeObject | Status>;
  deleteCollection(namespace: string | undefined, list: ListOptions, options: DeleteOptions): Promise<KubeList>;
  /** The scale subresource (autoscaling/v1 Scale); present only for kinds that serve it. */
  readonly scale?: ScaleSubresource;
  /**
   * PUT namespaces/{name}/finalize: writes only spec.finalizers (the namespace controller
   * removes "kubernetes" there once the namespace is empty). Present only for namespaces.
   */
  readonly finalize?: (name: string, object: KubeObject, options: WriteOptions) => Promise<WriteResult>;
  /**
   * POST pods/{name}/binding (the scheduler): sets spec.nodeName and the PodScheduled
   * condition; 409 when the pod is already bound or being deleted. Present only for pods.
   */
  readonly bind?: (namespace: string, name: string, binding: Binding, options: WriteOptions) => Promise<Status>;
}

export interface ScaleSubresource {
  get(namespace: string | undefined, name: string): Promise<Scale>;
  /** Sets spec.replicas; metadata.resourceVersion in the body is a precondition as in update. */
  update(namespace: string | undefined, name: string, scale: Scale, options: WriteOptions): Promise<WriteResult<Scale>>;
}
