/**
 * Defaults of a pod spec, wherever one is (a Pod, or the template of a workload), as the
 * generated SetObjectDefaults_* apply SetDefaults_PodSpec, _Container, _Probe, _Volume and
 * friends. Values already set are never changed.
 */
import { Quantity } from '../quantity.js';
import type { Container, PodSpec, Probe, Volume } from '../types.js';
import { VOLUME_SOURCES } from '../volume-sources.js';
import { defaultImagePullPolicy } from './image-pull-policy.js';

type Lifecycle = NonNullable<Container['lifecycle']>;
type HttpGet = NonNullable<Probe['httpGet']>;

const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
const DEFAULT_FILE_MODE = 0o644;
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

export interface PodSpecDefaultsOptions {
  /** Job templates leave restartPolicy unset, so that validation can ask for OnFailure or Never. */
  defaultRestartPolicy: boolean;
}

function defaultHttpGet(http: HttpGet | undefined): void {
  if (!http) return;
  http.path ||= '/';
  http.scheme ||= 'HTTP';
}

function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  defaultHttpGet(probe.httpGet);
  if (probe.grpc && probe.grpc.service === undefined) probe.grpc.service = '';
}

function defaultLifecycle(lifecycle: Lifecycle | undefined): void {
  defaultHttpGet(lifecycle?.postStart?.httpGet);
  defaultHttpGet(lifecycle?.preStop?.httpGet);
}

/**
 * Quantities are stored in canonical form ("0.5" becomes "500m"), as kube-apiserver
 * serializes them; unparsable ones are left for validation to report.
 */
export function canonicalizeResourceList(list: Record<string, string> | undefined): void {
  if (!list) return;
  for (const [name, value] of Object.entries(list)) {
    try {
      list[name] = Quantity.from(value).toString();
    } catch {
      // Validation reports it.
    }
  }
}

export function defaultContainer(container: Container): void {
  container.imagePullPolicy ||= defaultImagePullPolicy(container.image);
  container.terminationMessagePath ||= '/dev/termination-log';
  container.terminationMessagePolicy ||= 'File';
  container.resources ??= {};
  canonicalizeResourceList(container.resources.limits);
  canonicalizeResourceList(container.resources.requests);
  for (const port of container.ports ?? []) port.protocol ||= 'TCP';
  for (const env of container.env ?? []) {
    const fieldRef = env.valueFrom?.fieldRef;
    if (fieldRef) fieldRef.apiVersion ||= 'v1';
  }
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  defaultLifecycle(container.lifecycle);
}

function defaultFieldRefs(items: { fieldRef?: { apiVersion?: string } }[] | undefined): void {
  for (const item of items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
}

export function defaultVolume(volume: Volume): void {
  const record = volume as Record<string, unknown>;
  if (VOLUME_SOURCES.every((field) => record[field] === undefined || record[field] === null)) volume.emptyDir = {};
  if (volume.hostPath) volume.hostPath.type ??= '';
  if (volume.secret) volume.secret.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.configMap) volume.configMap.defaultMode ??= DEFAULT_FILE_MODE;
  if (volume.downwardAPI) {
    volume.downwardAPI.defaultMode ??= DEFAULT_FILE_MODE;
    defaultFieldRefs(volume.downwardAPI.items);
  }
  if (volume.projected) {
    volume.projected.defaultMode ??= DEFAULT_FILE_MODE;
    for (const source of volume.projected.sources ?? []) {
      defaultFieldRefs(source.downwardAPI?.items);
      if (source.serviceAccountToken) source.serviceAccountToken.expirationSeconds ??= DEFAULT_TOKEN_EXPIRATION_SECONDS;
    }
  }
  if (volume.iscsi) volume.iscsi.iscsiInterface ||= 'default';
  const claimSpec = volume.ephemeral?.volumeClaimTemplate?.spec;
  if (claimSpec) {
    claimSpec.volumeMode ??= 'Filesystem';
    canonicalizeResourceList(claimSpec.resources?.requests);
    canonicalizeResourceList(claimSpec.resources?.limits);
  }
}

export function defaultPodSpec(spec: PodSpec, options: PodSpecDefaultsOptions = { defaultRestartPolicy: true }): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  if (options.defaultRestartPolicy) spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= DEFAULT_SCHEDULER_NAME;
  for (const volume of spec.volumes ?? []) defaultVolume(volume);
  for (const container of spec.initContainers ?? []) defaultContainer(container);
  for (const container of spec.containers ?? []) defaultContainer(container);
  for (const container of spec.ephemeralContainers ?? []) defaultContainer(container as Container);
  canonicalizeResourceList(spec.overhead);
}
