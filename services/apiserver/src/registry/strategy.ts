/**
 * What differs between kinds, in the shape of kube's RESTCreateStrategy/RESTUpdateStrategy/
 * RESTDeleteStrategy: the generic registry does everything else. A kind that behaves like the
 * default needs no strategy file; one that differs overrides only the hooks it needs.
 */
import type { KubeObject, ResourceInfo, StatusCause } from '@tkube/api';
import { copyObject, jsonEqual } from './object-meta.js';

export interface GracefulDeletion {
  /**
   * The grace period of a first delete (kube's CheckGracefulDelete). 0 deletes at once;
   * more keeps the object with deletionTimestamp = now + period until someone deletes it
   * again with 0 (the kubelet, for pods).
   */
  gracePeriodSeconds(object: KubeObject, requested: number | undefined): number;
}

export interface ResourceStrategy {
  /** metadata.generation is 1 on create and grows by one with each change of desired state. */
  readonly tracksGeneration: boolean;
  /** Delete answers with the deleted object (kube's ReturnDeletedObject) instead of a Status. */
  readonly returnsDeletedObject: boolean;
  /** Graceful deletion, for the kinds that have it (pods). */
  readonly graceful?: GracefulDeletion;
  /** Resets what a client may not choose on create (status), before validation. */
  prepareForCreate(object: KubeObject): void;
  /** Keeps, on an update of the main resource, what only other paths may change (status). */
  prepareForUpdate(object: KubeObject, old: KubeObject): void;
  /** Whether the update changes the desired state, which bumps metadata.generation. */
  desiredStateChanged(object: KubeObject, old: KubeObject): boolean;
  /** The object a status update writes: the stored object with the body's status. */
  statusUpdate(body: KubeObject, old: KubeObject): KubeObject;
  /**
   * A kind's own first step of a delete (namespaces start terminating instead of going):
   * returns the object to write instead of deleting, or undefined for the generic path.
   * May throw a StatusError to refuse the delete.
   */
  beforeDelete?(existing: KubeObject, now: Date): KubeObject | undefined;
  /**
   * Assigns what is drawn from a shared pool (a Service's cluster IP and node ports), after
   * validation, given the objects of this resource stored now: on create, and on an update
   * of the main resource (`old` given), where what the object holds stays its own. Returns
   * causes for a 422 when what was asked for cannot be had.
   */
  allocate?(object: KubeObject, existing: () => Promise<KubeObject[]>, old?: KubeObject): Promise<StatusCause[]>;
  /** An extra condition for an update that empties the finalizers to delete the object. */
  canDeleteDuringUpdate?(object: KubeObject): boolean;
}

/** Kinds whose metadata.generation kube maintains (their PrepareForCreate sets it to 1). */
const GENERATION_KINDS = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'HorizontalPodAutoscaler',
]);

/** Stores that set ReturnDeletedObject in kube; the rest answer a delete with a Status. */
const RETURNS_DELETED_OBJECT = new Set([
  'Pod',
  'Namespace',
  'Service',
  'ServiceAccount',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
]);

export function hasStatusSubresource(info: ResourceInfo): boolean {
  return info.subresources.includes('status');
}

/** The behaviour of a kind that has nothing special: what most of kube's strategies do. */
export function defaultStrategy(info: ResourceInfo): ResourceStrategy {
  const statusSubresource = hasStatusSubresource(info);
  return {
    tracksGeneration: GENERATION_KINDS.has(info.kind),
    returnsDeletedObject: RETURNS_DELETED_OBJECT.has(info.kind),
    prepareForCreate(object) {
      // Status is written by controllers through the status subresource, never by the creator.
      if (statusSubresource) delete object.status;
    },
    prepareForUpdate(object, old) {
      if (!statusSubresource) return;
      if (old.status === undefined) delete object.status;
      else object.status = copyObject(old.status);
    },
    desiredStateChanged(object, old) {
      return !jsonEqual(object.spec, old.spec);
    },
    statusUpdate(body, old) {
      const next = copyObject(old);
      if (body.status === undefined) delete next.status;
      else next.status = copyObject(body.status);
      return next;
    },
  };
}
