/**
 * applyDefaults: Kubernetes' defaulting for each served kind, in place, as kube-apiserver
 * applies it when it decodes a create or an update. Kinds with no defaults are left as they are.
 * Run it after name generation: a Namespace's name label needs the final name.
 */
import type { ResourceInfo } from '../resources.js';
import type {
  CronJob,
  DaemonSet,
  Deployment,
  EndpointSlice,
  Endpoints,
  HorizontalPodAutoscaler,
  Job,
  KubeObject,
  Namespace,
  Node,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  ReplicaSet,
  Secret,
  Service,
  StatefulSet,
  StorageClass,
} from '../types.js';
import { defaultEndpoints, defaultNamespace, defaultNode, defaultSecret, defaultService } from './core.js';
import { defaultEndpointSlice, defaultHorizontalPodAutoscaler } from './other-groups.js';
import { defaultPod } from './pod.js';
import { defaultPersistentVolume, defaultPersistentVolumeClaim, defaultStorageClass } from './storage.js';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultReplicaSet,
  defaultStatefulSet,
} from './workloads.js';

const DEFAULTERS: Readonly<Record<string, (object: KubeObject) => void>> = {
  Namespace: (o) => defaultNamespace(o as Namespace),
  Pod: (o) => defaultPod(o as Pod),
  Node: (o) => defaultNode(o as Node),
  Service: (o) => defaultService(o as Service),
  Endpoints: (o) => defaultEndpoints(o as Endpoints),
  Secret: (o) => defaultSecret(o as Secret),
  PersistentVolume: (o) => defaultPersistentVolume(o as PersistentVolume),
  PersistentVolumeClaim: (o) => defaultPersistentVolumeClaim(o as PersistentVolumeClaim),
  Deployment: (o) => defaultDeployment(o as Deployment),
  ReplicaSet: (o) => defaultReplicaSet(o as ReplicaSet),
  StatefulSet: (o) => defaultStatefulSet(o as StatefulSet),
  DaemonSet: (o) => defaultDaemonSet(o as DaemonSet),
  Job: (o) => defaultJob(o as Job),
  CronJob: (o) => defaultCronJob(o as CronJob),
  HorizontalPodAutoscaler: (o) => defaultHorizontalPodAutoscaler(o as HorizontalPodAutoscaler),
  StorageClass: (o) => defaultStorageClass(o as StorageClass),
  EndpointSlice: (o) => defaultEndpointSlice(o as EndpointSlice),
};

/** Fills Kubernetes' defaults in place, as the API server's defaulters (SetObjectDefaults_*) do on create and update. */
export function applyDefaults(info: ResourceInfo, object: KubeObject): void {
  DEFAULTERS[info.kind]?.(object);
}
