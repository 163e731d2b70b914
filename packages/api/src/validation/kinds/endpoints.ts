/** core/v1 Endpoints and discovery.k8s.io/v1 EndpointSlice. */
import type { EndpointSlice, Endpoints, KubeObject } from '../../types.js';
import { duplicate, type ErrorList, immutable, invalid, notSupported, required, tooMany } from '../field-errors.js';
import { FieldPath } from '../field-path.js';
import {
  dns1123LabelErrors,
  dns1123SubdomainErrors,
  INVALID_IP_MESSAGE,
  isIP,
  isIPv4,
  isIPv6,
  portNumberErrors,
} from '../names.js';
import { validateLabels } from '../object-meta.js';
import { PORT_PROTOCOLS } from '../pod/containers.js';
import { semanticEqual } from '../semantic-equal.js';

type EndpointAddress = NonNullable<NonNullable<Endpoints['subsets']>[number]['addresses']>[number];

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_ADDRESSES = 100;
const MAX_ENDPOINTS = 1000;
const MAX_PORTS = 100;

/** hostname (a DNS label) and nodeName (a node's name): the same rule in Endpoints and EndpointSlices. */
function validateHostAndNode(endpoint: { hostname?: string; nodeName?: string }, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (endpoint.hostname)
    for (const msg of dns1123LabelErrors(endpoint.hostname))
      errs.push(invalid(path.child('hostname'), endpoint.hostname, msg));
  if (endpoint.nodeName)
    for (const msg of dns1123SubdomainErrors(endpoint.nodeName))
      errs.push(invalid(path.child('nodeName'), endpoint.nodeName, msg));
  return errs;
}

function validateAddress(address: EndpointAddress, path: FieldPath): ErrorList {
  const errs: ErrorList = [];
  if (!isIP(address.ip ?? '')) errs.push(invalid(path.child('ip'), address.ip ?? '', INVALID_IP_MESSAGE));
  errs.push(...validateHostAndNode(address, path));
  return errs;
}

function validatePortProtocol(protocol: string | undefined, path: FieldPath): ErrorList {
  if (!protocol) return [required(path)];
  return PORT_PROTOCOLS.includes(protocol) ? [] : [notSupported(path, protocol, PORT_PROTOCOLS)];
}

export function validateEndpoints(object: KubeObject): ErrorList {
  const errs: ErrorList = [];
  ((object as Endpoints).subsets ?? []).forEach((subset, i) => {
    const at = FieldPath.root('subsets').index(i);
    if ((subset.addresses ?? []).length === 0 && (subset.notReadyAddresses ?? []).length === 0) {
      errs.push(required(at, 'must specify `addresses` or `notReadyAddresses`'));
    }
    (subset.addresses ?? []).forEach((a, j) => {
      errs.push(...validateAddress(a, at.child('addresses').index(j)));
    });
    (subset.notReadyAddresses ?? []).forEach((a, j) => {
      errs.push(...validateAddress(a, at.child('notReadyAddresses').index(j)));
    });
    const ports = subset.ports ?? [];
    ports.forEach((port, j) => {
      const portPath = at.child('ports').index(j);
      if (ports.length > 1 && !port.name) errs.push(required(portPath.child('name')));
      else if (port.name)
        for (const msg of dns1123LabelErrors(port.name)) errs.push(invalid(portPath.child('name'), port.name, msg));
      for (const msg of portNumberErrors(port.port)) errs.push(invalid(portPath.child('port'), port.port, msg));
      errs.push(...validatePortProtocol(port.protocol, portPath.child('protocol')));
    });
  });
  return errs;
}

export function validateEndpointSlice(object: KubeObject): ErrorList {
  const slice = object as EndpointSlice;
  const errs: ErrorList = [];
  const addressType = slice.addressType ?? '';
  if (!addressType) errs.push(required(FieldPath.root('addressType')));
  else if (!ADDRESS_TYPES.includes(addressType))
    errs.push(notSupported(FieldPath.root('addressType'), addressType, ADDRESS_TYPES));
  const endpoints = slice.endpoints ?? [];
  if (endpoints.length > MAX_ENDPOINTS)
    errs.push(tooMany(FieldPath.root('endpoints'), endpoints.length, MAX_ENDPOINTS));
  endpoints.forEach((endpoint, i) => {
    const at = FieldPath.root('endpoints').index(i);
    const addresses = endpoint.addresses ?? [];
    if (addresses.length === 0) errs.push(required(at.child('addresses'), 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES)
      errs.push(tooMany(at.child('addresses'), addresses.length, MAX_ADDRESSES));
    addresses.forEach((address, j) => {
      const addressPath = at.child('addresses').index(j);
      if (addressType === 'IPv4' && !isIPv4(address))
        errs.push(invalid(addressPath, address, 'must be a valid IPv4 address'));
      if (addressType === 'IPv6' && !isIPv6(address))
        errs.push(invalid(addressPath, address, 'must be a valid IPv6 address'));
      if (addressType === 'FQDN')
        for (const msg of dns1123SubdomainErrors(address.replace(/\.$/, '')))
          errs.push(invalid(addressPath, address, msg));
    });
    errs.push(...validateHostAndNode(endpoint, at));
    errs.push(...validateLabels(endpoint.deprecatedTopology, at.child('deprecatedTopology')));
  });
  const ports = slice.ports ?? [];
  if (ports.length > MAX_PORTS) errs.push(tooMany(FieldPath.root('ports'), ports.length, MAX_PORTS));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const at = FieldPath.root('ports').index(i);
    const name = port.name ?? '';
    if (name) for (const msg of dns1123LabelErrors(name)) errs.push(invalid(at.child('name'), name, msg));
    if (names.has(name)) errs.push(duplicate(at.child('name'), name));
    names.add(name);
    if (port.port !== undefined && port.port !== null) {
      for (const msg of portNumberErrors(port.port)) errs.push(invalid(at.child('port'), port.port, msg));
    }
    errs.push(...validatePortProtocol(port.protocol, at.child('protocol')));
  });
  return errs;
}

export function validateEndpointSliceUpdate(object: KubeObject, old: KubeObject): ErrorList {
  const type = (object as EndpointSlice).addressType;
  return semanticEqual(type, (old as EndpointSlice).addressType)
    ? []
    : [immutable(FieldPath.root('addressType'), type ?? '')];
}
