/**
 * Kubernetes object types, JSON-identical to the Kubernetes API.
 *
 * We build on the model types of @kubernetes/client-node rather than writing them by hand:
 * they are generated from Kubernetes' own OpenAPI document, so every field, nesting and
 * optionality matches. They describe the *decoded* form, though (timestamps as `Date`), so
 * `Wire<T>` maps them to the JSON form that travels and is stored (timestamps as RFC 3339
 * strings). Where client-node renamed a JSON key (`_continue`), the type here says the JSON key.
 */
import type * as k8s from '@kubernetes/client-node';

/** The JSON form of a client-node model: `Date` becomes an RFC 3339 string. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type ObjectMeta = Wire<k8s.V1ObjectMeta>;
/** client-node names the JSON key `continue` as `_continue` (a reserved word in its generator). */
export type ListMeta = Omit<Wire<k8s.V1ListMeta>, '_continue'> & { continue?: string };
export type OwnerReference = Wire<k8s.V1OwnerReference>;
export type LabelSelector = Wire<k8s.V1LabelSelector>;
export type LabelSelectorRequirement = Wire<k8s.V1LabelSelectorRequirement>;
export type Status = Wire<k8s.V1Status>;
export type StatusCause = Wire<k8s.V1StatusCause>;
export type DeleteOptions = Wire<k8s.V1DeleteOptions>;

/** Any Kubernetes object: what the registry and storage handle generically. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  // The rest (spec, status, data, ...) depends on the kind.
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

// core/v1
export type Namespace = Wire<k8s.V1Namespace>;
export type Pod = Wire<k8s.V1Pod>;
export type PodSpec = Wire<k8s.V1PodSpec>;
export type PodStatus = Wire<k8s.V1PodStatus>;
export type PodTemplateSpec = Wire<k8s.V1PodTemplateSpec>;
export type Container = Wire<k8s.V1Container>;
export type ContainerPort = Wire<k8s.V1ContainerPort>;
export type Probe = Wire<k8s.V1Probe>;
export type Volume = Wire<k8s.V1Volume>;
export type EnvVar = Wire<k8s.V1EnvVar>;
export type Binding = Wire<k8s.V1Binding>;
export type Node = Wire<k8s.V1Node>;
export type Service = Wire<k8s.V1Service>;
export type ServicePort = Wire<k8s.V1ServicePort>;
export type Endpoints = Wire<k8s.V1Endpoints>;
export type ConfigMap = Wire<k8s.V1ConfigMap>;
export type Secret = Wire<k8s.V1Secret>;
export type Event = Wire<k8s.CoreV1Event>;
export type ServiceAccount = Wire<k8s.V1ServiceAccount>;
export type PersistentVolume = Wire<k8s.V1PersistentVolume>;
export type PersistentVolumeClaim = Wire<k8s.V1PersistentVolumeClaim>;
// apps/v1
export type Deployment = Wire<k8s.V1Deployment>;
export type ReplicaSet = Wire<k8s.V1ReplicaSet>;
export type StatefulSet = Wire<k8s.V1StatefulSet>;
export type DaemonSet = Wire<k8s.V1DaemonSet>;
export type ControllerRevision = Wire<k8s.V1ControllerRevision>;
// batch/v1
export type Job = Wire<k8s.V1Job>;
export type CronJob = Wire<k8s.V1CronJob>;
// autoscaling
export type HorizontalPodAutoscaler = Wire<k8s.V2HorizontalPodAutoscaler>;
export type Scale = Wire<k8s.V1Scale>;
// coordination.k8s.io/v1
export type Lease = Wire<k8s.V1Lease>;
// storage.k8s.io/v1
export type StorageClass = Wire<k8s.V1StorageClass>;
// discovery.k8s.io/v1
export type EndpointSlice = Wire<k8s.V1EndpointSlice>;

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}
