/**
 * A pod's spec and a pod template (ValidatePodSpec, ValidatePodTemplateSpec). Affinity,
 * topology spread, security contexts and resource claims are not checked yet.
 */
import type { PodSpec, PodTemplateSpec } from '../../types.js';
import { type ErrorList, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { dns1123LabelErrors, inclusiveRangeError, isIP } from '../names.js';
import { validateAnnotations, validateLabels } from '../object-meta.js';
import { nameIsDNSSubdomain } from '../object-name.js';
import { validateContainers, validateInitContainers } from './containers.js';
import { validateTolerations } from './tolerations.js';
import { validateVolumes } from './volumes.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const MAX_INT32 = 2147483647;
const MAX_DNS_NAMESERVERS = 3;
const MAX_DNS_SEARCH_PATHS = 32;

export function validateRestartPolicy(policy: string | undefined, path: FieldPath): ErrorList {
  if (!policy) return [required(path)];
  return RESTART_POLICIES.includes(policy) ? [] : [notSupported(path, policy, RESTART_POLICIES)];
}

function validateDNSPolicy(policy: string | undefined, path: FieldPath): ErrorList {
  if (!policy) return [required(path)];
  return DNS_POLICIES.includes(policy) ? [] : [notSupported(path, policy, DNS_POLICIES)];
}

function validateDNSConfig(spec: PodSpec, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const config = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if ((config.nameservers ?? []).length === 0) {
      errs.push(
        required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      );
    }
  }
  if (!config) return errs;
  const nameservers = config.nameservers ?? [];
  if (nameservers.length > MAX_DNS_NAMESERVERS) {
    errs.push(
      invalid(path.child('nameservers'), nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`),
    );
  }
  nameservers.forEach((ns, i) => {
    if (!isIP(ns)) errs.push(invalid(path.child('nameservers').index(i), ns, 'must be valid IP address'));
  });
  const searches = config.searches ?? [];
  if (searches.length > MAX_DNS_SEARCH_PATHS) {
    errs.push(
      invalid(path.child('searches'), searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`),
    );
  }
  (config.options ?? []).forEach((option, i) => {
    if (!option.name) errs.push(required(path.child('options').index(i), 'Option.Name must not be empty'));
  });
  return errs;
}

/** With the host's network a container port is a host port, so both must agree. */
function validateHostNetworkPorts(spec: PodSpec, path: FieldPath): ErrorList {
  if (!spec.hostNetwork) return [];
  const errs: ErrorList = [];
  const check = (containers: PodSpec['containers'] | undefined, listPath: FieldPath) => {
    (containers ?? []).forEach((container, ci) => {
      (container.ports ?? []).forEach((port, pi) => {
        if (port.hostPort && port.hostPort !== port.containerPort) {
          errs.push(
            invalid(
              listPath.index(ci).child('ports').index(pi).child('containerPort'),
              port.containerPort,
              'must match `hostPort` when `hostNetwork` is true',
            ),
          );
        }
      });
    });
  };
  check(spec.containers, path.child('containers'));
  check(spec.initContainers, path.child('initContainers'));
  return errs;
}

function validateSubdomainField(value: string | undefined, path: FieldPath): ErrorList {
  if (!value) return [];
  return nameIsDNSSubdomain(value, false).map((msg) => invalid(path, value, msg));
}

function validateLabelField(value: string | undefined, path: FieldPath): ErrorList {
  if (!value) return [];
  return dns1123LabelErrors(value).map((msg) => invalid(path, value, msg));
}

/**
 * `claimVolumes` are volumes the controller adds to each pod (a StatefulSet's
 * volumeClaimTemplates), which containers may mount without declaring them.
 */
export function validatePodSpec(
  spec: PodSpec | undefined,
  path: FieldPath,
  claimVolumes: readonly string[] = [],
): ErrorList {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: ErrorList = [];
  const volumes = validateVolumes(s.volumes, path.child('volumes'));
  errs.push(...volumes.errs);
  for (const name of claimVolumes) volumes.names.add(name);
  errs.push(...validateContainers(s.containers, volumes.names, path.child('containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, volumes.names, path.child('initContainers')));
  errs.push(...validateHostNetworkPorts(s, path));
  errs.push(...validateRestartPolicy(s.restartPolicy, path.child('restartPolicy')));
  errs.push(...validateDNSPolicy(s.dnsPolicy, path.child('dnsPolicy')));
  errs.push(...validateLabels(s.nodeSelector, path.child('nodeSelector')));
  errs.push(...validateDNSConfig(s, path.child('dnsConfig')));
  errs.push(...validateSubdomainField(s.serviceAccountName, path.child('serviceAccountName')));
  errs.push(...validateSubdomainField(s.nodeName, path.child('nodeName')));
  errs.push(...validateSubdomainField(s.priorityClassName, path.child('priorityClassName')));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const value = s.activeDeadlineSeconds;
    if (value < 1 || value > MAX_INT32)
      errs.push(invalid(path.child('activeDeadlineSeconds'), value, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...validateLabelField(s.hostname, path.child('hostname')));
  errs.push(...validateLabelField(s.subdomain, path.child('subdomain')));
  errs.push(...validateTolerations(s.tolerations, path.child('tolerations')));
  if (s.preemptionPolicy !== undefined && !PREEMPTION_POLICIES.includes(s.preemptionPolicy)) {
    errs.push(notSupported(path.child('preemptionPolicy'), s.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return errs;
}

export function validatePodTemplateSpec(
  template: PodTemplateSpec | undefined,
  path: FieldPath,
  claimVolumes: readonly string[] = [],
): ErrorList {
  if (!template) return [required(path)];
  const errs: ErrorList = [];
  errs.push(...validateLabels(template.metadata?.labels, path.child('labels')));
  errs.push(...validateAnnotations(template.metadata?.annotations, path.child('annotations')));
  errs.push(...validatePodSpec(template.spec, path.child('spec'), claimVolumes));
  if ((template.spec?.ephemeralContainers ?? []).length > 0) {
    errs.push(forbidden(path.child('spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
