/**
 * core/v1 Service (ValidateService, ValidateServiceUpdate): ports, type, selector,
 * session affinity, cluster IPs, node ports, traffic policies. Node ports outside the
 * range are refused as the port allocator refuses them.
 */
import type { KubeObject, Service, ServicePort } from '../../types.js';
import { duplicate, type ErrorList, forbidden, immutable, invalid, notSupported, required } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import { validatePortNumOrName } from '../int-or-string.js';
import { dns1123LabelErrors, dns1123SubdomainErrors, INVALID_IP_MESSAGE, isIP, portNumberErrors } from '../names.js';
import { validateLabels } from '../object-meta.js';
import { PORT_PROTOCOLS } from '../pod/containers.js';

type ServiceSpec = NonNullable<Service['spec']>;

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'];
const MAX_CLIENT_IP_TIMEOUT = 86400;

export function isHeadless(spec: ServiceSpec): boolean {
  return spec.clusterIP === 'None';
}

/** Reachable from outside the cluster, where externalTrafficPolicy means something. */
export function isExternallyAccessible(spec: ServiceSpec): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0)
  );
}

function validateServicePort(port: ServicePort, requireName: boolean, names: Set<string>, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const name = port.name ?? '';
  if (requireName && !name) {
    errs.push(required(path.child('name')));
  } else if (name) {
    for (const msg of dns1123LabelErrors(name)) errs.push(invalid(path.child('name'), name, msg));
    if (names.has(name)) errs.push(duplicate(path.child('name'), name));
    else names.add(name);
  }
  for (const msg of portNumberErrors(port.port)) errs.push(invalid(path.child('port'), port.port, msg));
  if (!port.protocol) errs.push(required(path.child('protocol')));
  else if (!PORT_PROTOCOLS.includes(port.protocol))
    errs.push(notSupported(path.child('protocol'), port.protocol, PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(port.targetPort, path.child('targetPort')));
  return errs;
}

function validateClusterIPs(spec: ServiceSpec, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const clusterIP = spec.clusterIP ?? '';
  const clusterIPs = spec.clusterIPs ?? [];
  if (spec.type === 'ExternalName') {
    if (clusterIP) errs.push(forbidden(path.child('clusterIP'), 'may not be set for ExternalName services'));
    if (clusterIPs.length > 0)
      errs.push(forbidden(path.child('clusterIPs'), 'may not be set for ExternalName services'));
    return errs;
  }
  if (clusterIPs.length > 0 && clusterIPs[0] !== clusterIP) {
    errs.push(invalid(path.child('clusterIPs'), clusterIPs, 'first value must match `clusterIP`'));
  }
  // The registry copies clusterIP into clusterIPs; an address is checked where it is listed.
  if (clusterIPs.length === 0 && clusterIP && clusterIP !== 'None' && !isIP(clusterIP)) {
    errs.push(invalid(path.child('clusterIP'), clusterIP, INVALID_IP_MESSAGE));
  }
  clusterIPs.forEach((ip, i) => {
    if (ip === 'None') {
      if (i > 0 || clusterIPs.length > 1)
        errs.push(invalid(path.child('clusterIPs').index(i), ip, "'None' must be the first and only value"));
    } else if (!isIP(ip)) {
      errs.push(invalid(path.child('clusterIPs').index(i), ip, INVALID_IP_MESSAGE));
    }
  });
  if (clusterIPs.length > 2) errs.push(invalid(path.child('clusterIPs'), clusterIPs, 'may only hold up to 2 values'));
  if (isHeadless(spec) && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
    errs.push(invalid(path.child('clusterIPs').index(0), 'None', `may not be set to 'None' for ${spec.type} services`));
  }
  (spec.ipFamilies ?? []).forEach((family, i) => {
    if (!IP_FAMILIES.includes(family)) errs.push(notSupported(path.child('ipFamilies').index(i), family, IP_FAMILIES));
  });
  if (
    spec.ipFamilyPolicy !== undefined &&
    spec.ipFamilyPolicy !== null &&
    !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)
  ) {
    errs.push(notSupported(path.child('ipFamilyPolicy'), spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  return errs;
}

function validateNodePorts(spec: ServiceSpec, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const seen = new Set<string>();
  (spec.ports ?? []).forEach((port, i) => {
    const nodePort = port.nodePort;
    if (!nodePort) return;
    const at = path.child('ports').index(i).child('nodePort');
    if (spec.type === 'ClusterIP') {
      errs.push(forbidden(at, "may not be used when `type` is 'ClusterIP'"));
      return;
    }
    // A port number; whether it is in the apiserver's --service-node-port-range is the
    // allocator's question (kube's validation asks only this).
    if (nodePort < 1 || nodePort > 65535) errs.push(invalid(at, nodePort, 'must be between 1 and 65535, inclusive'));
    const key = `${port.protocol ?? ''}/${nodePort}`;
    if (seen.has(key)) errs.push(duplicate(at, nodePort));
    seen.add(key);
  });
  return errs;
}

function validateTrafficPolicies(spec: ServiceSpec, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  const external = spec.externalTrafficPolicy ?? '';
  if (!isExternallyAccessible(spec)) {
    if (external)
      errs.push(
        invalid(path.child('externalTrafficPolicy'), external, 'may only be set for externally-accessible services'),
      );
  } else if (!external) {
    errs.push(required(path.child('externalTrafficPolicy')));
  } else if (!TRAFFIC_POLICIES.includes(external)) {
    errs.push(notSupported(path.child('externalTrafficPolicy'), external, TRAFFIC_POLICIES));
  }
  const internal = spec.internalTrafficPolicy;
  // Other types are tolerated without one, as objects stored before the field existed are.
  if (spec.type === 'ClusterIP' || spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    if (!internal) errs.push(required(path.child('internalTrafficPolicy')));
    else if (!TRAFFIC_POLICIES.includes(internal))
      errs.push(notSupported(path.child('internalTrafficPolicy'), internal, TRAFFIC_POLICIES));
  } else if (internal && !TRAFFIC_POLICIES.includes(internal)) {
    errs.push(notSupported(path.child('internalTrafficPolicy'), internal, TRAFFIC_POLICIES));
  }
  if (spec.healthCheckNodePort && !(spec.type === 'LoadBalancer' && external === 'Local')) {
    errs.push(
      invalid(
        path.child('healthCheckNodePort'),
        spec.healthCheckNodePort,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  }
  return errs;
}

export function validateService(object: KubeObject): ErrorList {
  const spec: ServiceSpec = (object as Service).spec ?? {};
  const path = FieldPath.root('spec');
  const errs: ErrorList = [];
  const ports = spec.ports ?? [];
  if (ports.length === 0 && !isHeadless(spec) && spec.type !== 'ExternalName') errs.push(required(path.child('ports')));
  if (spec.type === 'ExternalName') {
    const externalName = (spec.externalName ?? '').replace(/\.$/, '');
    if (!externalName) errs.push(required(path.child('externalName')));
    else
      for (const msg of dns1123SubdomainErrors(externalName))
        errs.push(invalid(path.child('externalName'), externalName, msg));
  }
  const names = new Set<string>();
  ports.forEach((port, i) => {
    errs.push(...validateServicePort(port, ports.length > 1, names, path.child('ports').index(i)));
  });
  if (spec.selector) errs.push(...validateLabels(spec.selector, path.child('selector')));
  const affinity = spec.sessionAffinity ?? '';
  if (!affinity) errs.push(required(path.child('sessionAffinity')));
  else if (!SESSION_AFFINITIES.includes(affinity))
    errs.push(notSupported(path.child('sessionAffinity'), affinity, SESSION_AFFINITIES));
  if (affinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    const at = path.child('sessionAffinityConfig', 'clientIP', 'timeoutSeconds');
    if (timeout === undefined || timeout === null) errs.push(required(at));
    else if (timeout <= 0 || timeout > MAX_CLIENT_IP_TIMEOUT)
      errs.push(invalid(at, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`));
  } else if (spec.sessionAffinityConfig) {
    errs.push(forbidden(path.child('sessionAffinityConfig'), `must not be set when session affinity is ${affinity}`));
  }
  (spec.externalIPs ?? []).forEach((ip, i) => {
    if (!isIP(ip)) errs.push(invalid(path.child('externalIPs').index(i), ip, INVALID_IP_MESSAGE));
  });
  const type = spec.type ?? '';
  if (!type) errs.push(required(path.child('type')));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported(path.child('type'), type, SERVICE_TYPES));
  errs.push(...validateClusterIPs(spec, path));
  errs.push(...validateNodePorts(spec, path));
  const portKeys = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${port.protocol ?? ''}/${port.port}`;
    if (portKeys.has(key))
      errs.push(duplicate(path.child('ports').index(i), { port: port.port, protocol: port.protocol }));
    portKeys.add(key);
  });
  errs.push(...validateTrafficPolicies(spec, path));
  return errs;
}

/**
 * A cluster IP, once allocated, stays: changing it would break every client that resolved
 * it. Switching to or from ExternalName releases or allocates one, so it is allowed then.
 * A request that leaves clusterIP empty keeps the allocated one (the registry copies it).
 */
export function validateServiceUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const spec: ServiceSpec = (object as Service).spec ?? {};
  const oldSpec: ServiceSpec = (old as Service).spec ?? {};
  if (spec.type === 'ExternalName' || oldSpec.type === 'ExternalName') return [];
  const errs: ErrorList = [];
  const path = FieldPath.root('spec');
  if (oldSpec.clusterIP && spec.clusterIP && spec.clusterIP !== oldSpec.clusterIP) {
    errs.push(immutable(path.child('clusterIP'), spec.clusterIP));
  }
  const oldIPs = oldSpec.clusterIPs ?? [];
  const newIPs = spec.clusterIPs ?? [];
  if (newIPs.length > 0) {
    oldIPs.forEach((ip, i) => {
      if (i < newIPs.length && newIPs[i] !== ip)
        errs.push(invalid(path.child('clusterIPs').index(i), newIPs, 'may not change once set'));
    });
  }
  return errs;
}
