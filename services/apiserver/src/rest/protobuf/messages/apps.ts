/** k8s.io/api/apps/v1 messages: Deployment (kubectl create deployment) and ReplicaSet. */
import {
  bool,
  int32,
  int64,
  intOrString,
  keepZero,
  type MessageTable,
  message,
  messages,
  string,
  time,
} from '../message-spec.js';
import { apps, core, meta } from './names.js';

export const APPS_MESSAGES: MessageTable = {
  [apps('Deployment')]: {
    1: message('metadata', meta('ObjectMeta')),
    2: message('spec', apps('DeploymentSpec')),
    3: message('status', apps('DeploymentStatus')),
  },
  [apps('DeploymentSpec')]: {
    1: int32('replicas', keepZero),
    2: message('selector', meta('LabelSelector')),
    3: message('template', core('PodTemplateSpec')),
    4: message('strategy', apps('DeploymentStrategy')),
    5: int32('minReadySeconds'),
    6: int32('revisionHistoryLimit', keepZero),
    7: bool('paused'),
    9: int32('progressDeadlineSeconds', keepZero),
    10: string('podReplacementPolicy', keepZero),
  },
  [apps('DeploymentStrategy')]: {
    1: string('type'),
    2: message('rollingUpdate', apps('RollingUpdateDeployment')),
  },
  [apps('RollingUpdateDeployment')]: {
    1: intOrString('maxUnavailable', keepZero),
    2: intOrString('maxSurge', keepZero),
  },
  [apps('DeploymentStatus')]: {
    1: int64('observedGeneration'),
    2: int32('replicas'),
    3: int32('updatedReplicas'),
    7: int32('readyReplicas'),
    4: int32('availableReplicas'),
    5: int32('unavailableReplicas'),
    9: int32('terminatingReplicas', keepZero),
    6: messages('conditions', apps('DeploymentCondition')),
    8: int32('collisionCount', keepZero),
  },
  [apps('DeploymentCondition')]: {
    1: string('type', keepZero),
    2: string('status', keepZero),
    6: time('lastUpdateTime'),
    7: time('lastTransitionTime'),
    4: string('reason'),
    5: string('message'),
  },
  [apps('ReplicaSet')]: {
    1: message('metadata', meta('ObjectMeta')),
    2: message('spec', apps('ReplicaSetSpec')),
    3: message('status', apps('ReplicaSetStatus')),
  },
  [apps('ReplicaSetSpec')]: {
    1: int32('replicas', keepZero),
    4: int32('minReadySeconds'),
    2: message('selector', meta('LabelSelector')),
    3: message('template', core('PodTemplateSpec')),
  },
  [apps('ReplicaSetStatus')]: {
    1: int32('replicas', keepZero),
    2: int32('fullyLabeledReplicas'),
    4: int32('readyReplicas'),
    5: int32('availableReplicas'),
    7: int32('terminatingReplicas', keepZero),
    3: int64('observedGeneration'),
    6: messages('conditions', apps('ReplicaSetCondition')),
  },
  [apps('ReplicaSetCondition')]: {
    1: string('type', keepZero),
    2: string('status', keepZero),
    3: time('lastTransitionTime'),
    4: string('reason'),
    5: string('message'),
  },
};
