/** Rows of core/v1 kinds besides pods: services, endpoints, nodes, namespaces, config maps, secrets, events, ... */
import type { KubeObject } from '@tkube/api';
import { formatLabels, list, num, obj, str, strings } from './fields.js';
import { ageSince } from './human-duration.js';
import { AGE_COLUMN, column, NAME_COLUMN, type Printer, type TableColumnDefinition } from './table-types.js';

function nameAndAge(object: KubeObject, now: number): [string, string] {
  return [object.metadata?.name ?? '', ageSince(object.metadata?.creationTimestamp, now)];
}

/** Name, the kind's own columns, then Age: how most core kinds print. */
function namedPrinter(columns: TableColumnDefinition[], cells: (object: KubeObject) => unknown[]): Printer {
  return {
    columns: [NAME_COLUMN, ...columns, AGE_COLUMN],
    cells(object, now) {
      const [name, age] = nameAndAge(object, now);
      return [name, ...cells(object), age];
    },
  };
}

function serviceExternalIP(spec: Record<string, unknown>, status: Record<string, unknown>): string {
  const externalIPs = strings(spec.externalIPs);
  switch (str(spec.type, 'ClusterIP')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = list(obj(status.loadBalancer).ingress)
        .map((i) => str(i.ip) || str(i.hostname))
        .filter((x) => x !== '');
      const all = [...ingress, ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function servicePorts(spec: Record<string, unknown>): string {
  const ports = list(spec.ports).map((port) => {
    const protocol = str(port.protocol, 'TCP');
    const nodePort = num(port.nodePort);
    return nodePort !== 0 ? `${num(port.port)}:${nodePort}/${protocol}` : `${num(port.port)}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
    column(
      'External-IP',
      'string',
      'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.',
    ),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE_COLUMN,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', {
      priority: 1,
    }),
  ],
  cells(object, now) {
    const spec = obj(object.spec);
    const [name, age] = nameAndAge(object, now);
    const clusterIP = strings(spec.clusterIPs)[0] ?? (str(spec.clusterIP) || '<none>');
    return [
      name,
      str(spec.type, 'ClusterIP'),
      clusterIP,
      serviceExternalIP(spec, obj(object.status)),
      servicePorts(spec),
      age,
      formatLabels(spec.selector),
    ];
  },
};

/** The first three `ip:port` pairs, then how many more, as kubectl prints them. */
function endpointsSummary(object: KubeObject): string {
  const endpoints: string[] = [];
  let total = 0;
  for (const subset of list(object.subsets)) {
    const ports = list(subset.ports);
    for (const address of list(subset.addresses)) {
      for (const port of ports.length > 0 ? ports : [{}]) {
        total++;
        if (endpoints.length < 3)
          endpoints.push(port.port === undefined ? str(address.ip) : `${str(address.ip)}:${num(port.port)}`);
      }
    }
  }
  let text = endpoints.length > 0 ? endpoints.join(',') : '<none>';
  if (total > endpoints.length) text += ` + ${total - endpoints.length} more...`;
  return text;
}

export const endpointsPrinter = namedPrinter([column('Endpoints', 'string', 'Endpoints of the service.')], (object) => [
  endpointsSummary(object),
]);

function nodeRoles(labels: Record<string, unknown>): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role !== '') roles.add(role);
    } else if (key === 'kubernetes.io/role' && str(value) !== '') {
      roles.add(str(value));
    }
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(status: Record<string, unknown>, type: string): string {
  return str(list(status.addresses).find((a) => a.type === type)?.address) || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    AGE_COLUMN,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', { priority: 1 }),
    column('External-IP', 'string', 'List of addresses reachable to the node.', { priority: 1 }),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release.', { priority: 1 }),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r'.", { priority: 1 }),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API.', {
      priority: 1,
    }),
  ],
  cells(object, now) {
    const status = obj(object.status);
    const ready = list(status.conditions).find((c) => c.type === 'Ready');
    const states = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
    if (obj(object.spec).unschedulable === true) states.push('SchedulingDisabled');
    const info = obj(status.nodeInfo);
    const [name, age] = nameAndAge(object, now);
    return [
      name,
      states.join(','),
      nodeRoles(obj(object.metadata?.labels)),
      age,
      str(info.kubeletVersion),
      nodeAddress(status, 'InternalIP'),
      nodeAddress(status, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ];
  },
};

export const namespacePrinter = namedPrinter([column('Status', 'string', 'The status of the namespace')], (object) => [
  str(obj(object.status).phase),
]);

export const configMapPrinter = namedPrinter(
  [column('Data', 'integer', 'Number of entries in the data and binaryData fields.')],
  (object) => [Object.keys(obj(object.data)).length + Object.keys(obj(object.binaryData)).length],
);

export const secretPrinter = namedPrinter(
  [
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'integer', 'Number of entries in the data field.'),
  ],
  (object) => [str(object.type, 'Opaque'), Object.keys(obj(object.data)).length],
);

export const serviceAccountPrinter = namedPrinter(
  [
    column(
      'Secrets',
      'integer',
      'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
    ),
  ],
  (object) => [list(object.secrets).length],
);

export const eventPrinter: Printer = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column(
      'Reason',
      'string',
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    ),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'The field of the object this event is about.', { priority: 1 }),
    column('Source', 'string', 'The component reporting this event.', { priority: 1 }),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded.', { priority: 1 }),
    column('Count', 'integer', 'The number of times this event has occurred.', { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells(object, now) {
    const involved = obj(object.involvedObject);
    const source = obj(object.source);
    const series = object.series === undefined ? undefined : obj(object.series);
    let firstSeen = ageSince(object.firstTimestamp, now);
    if (str(object.firstTimestamp) === '') firstSeen = ageSince(object.eventTime, now);
    let lastSeen = str(object.lastTimestamp) === '' ? firstSeen : ageSince(object.lastTimestamp, now);
    let count = num(object.count);
    if (series) {
      lastSeen = ageSince(series.lastObservedTime, now);
      count = num(series.count);
    } else if (count === 0) {
      count = 1;
    }
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) !== '' ? `${kind}/${str(involved.name)}` : kind;
    const component = str(source.component) || str(object.reportingController);
    const host = str(source.host) || str(object.reportingInstance);
    const sourceText = component === '' ? '' : host === '' ? component : `${component}, ${host}`;
    return [
      lastSeen,
      str(object.type),
      str(object.reason),
      target,
      str(involved.fieldPath),
      sourceText,
      str(object.message).trim(),
      firstSeen,
      count,
      object.metadata?.name ?? '',
    ];
  },
};

export const leasePrinter = namedPrinter([column('Holder', 'string', 'The holder of the lease.')], (object) => [
  str(obj(object.spec).holderIdentity),
]);

export const defaultPrinter = namedPrinter([], () => []);
