/**
 * The entry points the registry calls: validateCreate and validateUpdate dispatch on the
 * kind to its rules, after the metadata rules every kind shares. A kind without rules of
 * its own (ServiceAccount, ...) gets the metadata rules only.
 */
import type { ResourceInfo } from '../resources.js';
import type { KubeObject, StatusCause } from '../types.js';
import type { ErrorList } from './field-errors.js';
import { validateHorizontalPodAutoscaler } from './kinds/autoscaling.js';
import { validateLease, validateNamespace, validateNode, validateNodeUpdate } from './kinds/cluster.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from './kinds/config-data.js';
import { validateControllerRevision, validateControllerRevisionUpdate } from './kinds/controller-revision.js';
import { validateDaemonSet } from './kinds/daemon-set.js';
import { validateDeployment, validateSelectorUnchanged } from './kinds/deployment.js';
import { validateEndpointSlice, validateEndpointSliceUpdate, validateEndpoints } from './kinds/endpoints.js';
import { validateEvent } from './kinds/event.js';
import { validateCronJob, validateJob, validateJobUpdate } from './kinds/job.js';
import { validatePersistentVolume } from './kinds/persistent-volume.js';
import { validatePersistentVolumeClaim, validatePersistentVolumeClaimUpdate } from './kinds/persistent-volume-claim.js';
import { validatePod, validatePodUpdate } from './kinds/pod.js';
import { validateReplicaSet } from './kinds/replica-set.js';
import { validateService, validateServiceUpdate } from './kinds/service.js';
import { validateStatefulSet, validateStatefulSetUpdate } from './kinds/stateful-set.js';
import { validateStorageClass, validateStorageClassUpdate } from './kinds/storage-class.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';
import { nameRuleOf } from './object-name.js';

interface KindRules {
  /** Rules for the object's own fields, checked on create and (on the new object) on update. */
  validate?: (object: KubeObject) => ErrorList;
  /** What may not change between the stored object and the new one. */
  validateUpdate?: (object: KubeObject, old: KubeObject) => ErrorList;
  /** Kubernetes skips ObjectMeta validation for v1 Events, for old clients' sake. */
  skipMetadata?: boolean;
}

const RULES: Readonly<Record<string, KindRules>> = {
  Namespace: { validate: validateNamespace },
  Node: { validate: validateNode, validateUpdate: validateNodeUpdate },
  Pod: { validate: validatePod, validateUpdate: validatePodUpdate },
  Service: { validate: validateService, validateUpdate: validateServiceUpdate },
  Endpoints: { validate: validateEndpoints },
  ConfigMap: { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate },
  Secret: { validate: validateSecret, validateUpdate: validateSecretUpdate },
  Event: { validate: validateEvent, skipMetadata: true },
  PersistentVolume: { validate: validatePersistentVolume },
  PersistentVolumeClaim: {
    validate: validatePersistentVolumeClaim,
    validateUpdate: validatePersistentVolumeClaimUpdate,
  },
  Deployment: { validate: validateDeployment, validateUpdate: validateSelectorUnchanged },
  ReplicaSet: { validate: validateReplicaSet, validateUpdate: validateSelectorUnchanged },
  StatefulSet: { validate: validateStatefulSet, validateUpdate: validateStatefulSetUpdate },
  DaemonSet: { validate: validateDaemonSet, validateUpdate: validateSelectorUnchanged },
  ControllerRevision: { validate: validateControllerRevision, validateUpdate: validateControllerRevisionUpdate },
  Job: { validate: validateJob, validateUpdate: validateJobUpdate },
  CronJob: { validate: validateCronJob },
  HorizontalPodAutoscaler: { validate: validateHorizontalPodAutoscaler },
  Lease: { validate: validateLease },
  StorageClass: { validate: validateStorageClass, validateUpdate: validateStorageClassUpdate },
  EndpointSlice: { validate: validateEndpointSlice, validateUpdate: validateEndpointSliceUpdate },
};

function rulesOf(info: ResourceInfo): KindRules {
  return RULES[info.kind] ?? {};
}

/** All problems of a new object, as field.ErrorList with Kubernetes' field paths and messages. */
export function validateCreate(info: ResourceInfo, object: KubeObject): StatusCause[] {
  const rules = rulesOf(info);
  const errs: ErrorList = [];
  if (!rules.skipMetadata) errs.push(...validateObjectMeta(object.metadata, info.namespaced, nameRuleOf(info)));
  if (rules.validate) errs.push(...rules.validate(object));
  return errs;
}

/** All problems of an update: the new object's own, and changes to what may not change. */
export function validateUpdate(info: ResourceInfo, object: KubeObject, old: KubeObject): StatusCause[] {
  const rules = rulesOf(info);
  const errs: ErrorList = [];
  if (!rules.skipMetadata) errs.push(...validateObjectMetaUpdate(object.metadata, old.metadata, info.namespaced));
  if (rules.validate) errs.push(...rules.validate(object));
  if (rules.validateUpdate) errs.push(...rules.validateUpdate(object, old));
  return errs;
}
