/**
 * Every message tkube decodes from protobuf, and the top-level kinds it accepts: a body
 * whose kind is not listed here is refused with 400 rather than guessed at.
 */
import type { MessageTable } from './message-spec.js';
import { APPS_MESSAGES } from './messages/apps.js';
import { AUTOSCALING_MESSAGES } from './messages/autoscaling.js';
import { BATCH_MESSAGES } from './messages/batch.js';
import { CORE_MESSAGES } from './messages/core.js';
import { META_MESSAGES } from './messages/meta.js';
import { apps, autoscalingV1, autoscalingV2, batch, core, meta, policy } from './messages/names.js';
import { POLICY_MESSAGES } from './messages/policy.js';

export const MESSAGES: MessageTable = {
  ...META_MESSAGES,
  ...CORE_MESSAGES,
  ...APPS_MESSAGES,
  ...BATCH_MESSAGES,
  ...AUTOSCALING_MESSAGES,
  ...POLICY_MESSAGES,
};

/** `apiVersion` + `kind` of the envelope -> the message its raw bytes hold. */
const KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    Namespace: core('Namespace'),
    ConfigMap: core('ConfigMap'),
    Secret: core('Secret'),
    ServiceAccount: core('ServiceAccount'),
    Service: core('Service'),
    Pod: core('Pod'),
    Binding: core('Binding'),
    DeleteOptions: meta('DeleteOptions'),
  },
  'meta.k8s.io/v1': { DeleteOptions: meta('DeleteOptions') },
  'apps/v1': { Deployment: apps('Deployment'), ReplicaSet: apps('ReplicaSet') },
  'batch/v1': { Job: batch('Job'), CronJob: batch('CronJob') },
  'autoscaling/v2': { HorizontalPodAutoscaler: autoscalingV2('HorizontalPodAutoscaler') },
  'autoscaling/v1': { Scale: autoscalingV1('Scale') },
  'policy/v1': { Eviction: policy('Eviction') },
};

export function messageForKind(apiVersion: string, kind: string): string | undefined {
  return Object.hasOwn(KINDS, apiVersion) && Object.hasOwn(KINDS[apiVersion] ?? {}, kind)
    ? KINDS[apiVersion]?.[kind]
    : undefined;
}
