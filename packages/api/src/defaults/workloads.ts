/**
 * apps/v1 and batch/v1 defaults (pkg/apis/apps/v1/defaults.go, pkg/apis/batch/v1/defaults.go).
 * apps/v1 does not copy template labels to the object or the selector; batch/v1 Jobs do
 * copy them to metadata.labels.
 */
import type { CronJob, DaemonSet, Deployment, Job, PodTemplateSpec, ReplicaSet, StatefulSet } from '../types.js';
import { defaultPodSpec } from './pod-spec.js';
import { defaultPersistentVolumeClaim } from './storage.js';

type JobSpec = NonNullable<Job['spec']>;

const DEFAULT_REVISION_HISTORY_LIMIT = 10;

function defaultTemplate(template: PodTemplateSpec | undefined, defaultRestartPolicy = true): void {
  if (template?.spec) defaultPodSpec(template.spec, { defaultRestartPolicy });
}

export function defaultDeployment(deployment: Deployment): void {
  const spec = deployment.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= '25%';
    rolling.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  spec.progressDeadlineSeconds ??= 600;
  defaultTemplate(spec.template);
}

export function defaultReplicaSet(replicaSet: ReplicaSet): void {
  const spec = replicaSet.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  defaultTemplate(spec.template);
}

export function defaultStatefulSet(statefulSet: StatefulSet): void {
  const spec = statefulSet.spec;
  if (!spec) return;
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ||= 'Retain';
  retention.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  defaultTemplate(spec.template);
  for (const claim of spec.volumeClaimTemplates ?? []) defaultPersistentVolumeClaim(claim);
}

export function defaultDaemonSet(daemonSet: DaemonSet): void {
  const spec = daemonSet.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const rolling = (strategy.rollingUpdate ??= {});
    rolling.maxUnavailable ??= 1;
    rolling.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= DEFAULT_REVISION_HISTORY_LIMIT;
  defaultTemplate(spec.template);
}

function defaultJobSpec(spec: JobSpec): void {
  // A non-parallel job may leave both unset; then both are 1.
  if (
    (spec.completions === undefined || spec.completions === null) &&
    (spec.parallelism === undefined || spec.parallelism === null)
  ) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined && spec.backoffLimitPerIndex !== null ? 2147483647 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  defaultTemplate(spec.template, false);
}

export function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  defaultJobSpec(spec);
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    (job.metadata ??= {}).labels = { ...templateLabels };
  }
}

export function defaultCronJob(cronJob: CronJob): void {
  const spec = cronJob.spec;
  if (!spec) return;
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  if (spec.jobTemplate?.spec) defaultJobSpec(spec.jobTemplate.spec);
}
