/**
 * Containers and init containers (validateContainers, validateInitContainers,
 * validateContainerCommon): names that are DNS labels and unique across both lists, an
 * image, ports, env, mounts, resources, probes, and the policies' enumerations.
 */
import type { Container, ContainerPort } from '../../types.js';
import { duplicate, type ErrorList, forbidden, invalid, notSupported, required } from '../field-errors.js';
import type { FieldPath } from '../field-path.js';
import { dns1123LabelErrors, portNameErrors, portNumberErrors } from '../names.js';
import { validateEnv, validateEnvFrom } from './env.js';
import { validateLifecycle, validateLivenessOrStartupProbe, validateReadinessProbe } from './probes.js';
import { validateResourceRequirements } from './resources.js';
import { validateVolumeMounts } from './volumes.js';

export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const INIT_ONLY = 'may not be set for init containers without restartPolicy=Always';

function validatePorts(ports: ContainerPort[] | undefined, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const at = path.index(i);
    if (port.name) {
      const msgs = portNameErrors(port.name);
      if (msgs.length > 0) for (const msg of msgs) errs.push(invalid(at.child('name'), port.name, msg));
      else if (names.has(port.name)) errs.push(duplicate(at.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(at.child('containerPort')));
    else
      for (const msg of portNumberErrors(port.containerPort))
        errs.push(invalid(at.child('containerPort'), port.containerPort, msg));
    if (port.hostPort) {
      for (const msg of portNumberErrors(port.hostPort)) errs.push(invalid(at.child('hostPort'), port.hostPort, msg));
    }
    if (!port.protocol) errs.push(required(at.child('protocol')));
    else if (!PORT_PROTOCOLS.includes(port.protocol))
      errs.push(notSupported(at.child('protocol'), port.protocol, PORT_PROTOCOLS));
  });
  return errs;
}

function validateEnum(value: string | undefined, allowed: readonly string[], path: FieldPath): ErrorList {
  if (!value) return [required(path)];
  return allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

function validateContainerCommon(container: Container, volumes: Set<string>, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const name = container.name ?? '';
  if (!name) errs.push(required(path.child('name')));
  else for (const msg of dns1123LabelErrors(name)) errs.push(invalid(path.child('name'), name, msg));
  if (!container.image) errs.push(required(path.child('image')));
  errs.push(
    ...validateEnum(
      container.terminationMessagePolicy,
      TERMINATION_MESSAGE_POLICIES,
      path.child('terminationMessagePolicy'),
    ),
  );
  errs.push(...validatePorts(container.ports, path.child('ports')));
  errs.push(...validateEnv(container.env, path.child('env')));
  errs.push(...validateEnvFrom(container.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(container.volumeMounts, volumes, path.child('volumeMounts')));
  errs.push(...validateEnum(container.imagePullPolicy, PULL_POLICIES, path.child('imagePullPolicy')));
  errs.push(...validateResourceRequirements(container.resources, path.child('resources')));
  return errs;
}

/** Two containers (of the same run phase) may not claim the same host port. */
function validateUniqueHostPorts(containers: Container[], path: FieldPath, seen = new Set<string>()): ErrorList {
  const errs: ErrorList = [];
  containers.forEach((container, ci) => {
    (container.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      seen.add(key);
    });
  });
  return errs;
}

export function validateContainers(
  containers: Container[] | undefined,
  volumes: Set<string>,
  path: FieldPath,
): ErrorList {
  if (!containers || containers.length === 0) return [required(path)];
  const errs: ErrorList = [];
  const names = new Set<string>();
  containers.forEach((container, i) => {
    const at = path.index(i);
    errs.push(...validateContainerCommon(container, volumes, at));
    const name = container.name ?? '';
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else names.add(name);
    errs.push(...validateLifecycle(container.lifecycle, at.child('lifecycle')));
    errs.push(...validateLivenessOrStartupProbe(container.livenessProbe, at.child('livenessProbe')));
    errs.push(...validateReadinessProbe(container.readinessProbe, at.child('readinessProbe')));
    errs.push(...validateLivenessOrStartupProbe(container.startupProbe, at.child('startupProbe')));
    if (container.restartPolicy !== undefined) {
      errs.push(forbidden(at.child('restartPolicy'), 'may not be set for non-init containers'));
    }
  });
  errs.push(...validateUniqueHostPorts(containers, path));
  return errs;
}

/**
 * Init containers run one by one before the app containers; those with restartPolicy
 * Always are sidecars and may have probes and hooks. Names must not clash with app containers.
 */
export function validateInitContainers(
  initContainers: Container[] | undefined,
  appContainers: Container[] | undefined,
  volumes: Set<string>,
  path: FieldPath,
): ErrorList {
  const errs: ErrorList = [];
  const names = new Set((appContainers ?? []).map((c) => c.name ?? ''));
  (initContainers ?? []).forEach((container, i) => {
    const at = path.index(i);
    errs.push(...validateContainerCommon(container, volumes, at));
    let sidecar = false;
    if (container.restartPolicy !== undefined) {
      if (container.restartPolicy === 'Always') sidecar = true;
      else errs.push(notSupported(at.child('restartPolicy'), container.restartPolicy, ['Always']));
    }
    const name = container.name ?? '';
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    else if (name) names.add(name);
    errs.push(...validateUniqueHostPorts([container], path));
    if (sidecar) {
      errs.push(...validateLifecycle(container.lifecycle, at.child('lifecycle')));
      errs.push(...validateLivenessOrStartupProbe(container.livenessProbe, at.child('livenessProbe')));
      errs.push(...validateReadinessProbe(container.readinessProbe, at.child('readinessProbe')));
      errs.push(...validateLivenessOrStartupProbe(container.startupProbe, at.child('startupProbe')));
    } else {
      if (container.lifecycle) errs.push(forbidden(at.child('lifecycle'), INIT_ONLY));
      if (container.livenessProbe) errs.push(forbidden(at.child('livenessProbe'), INIT_ONLY));
      if (container.readinessProbe) errs.push(forbidden(at.child('readinessProbe'), INIT_ONLY));
      if (container.startupProbe) errs.push(forbidden(at.child('startupProbe'), INIT_ONLY));
    }
  });
  return errs;
}
