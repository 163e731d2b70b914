/**
 * The Service environment variables kube's kubelet gives every container
 * (pkg/kubelet/envvars FromServices and the kubelet's getServiceEnvVarMap): for each
 * Service with a cluster IP, `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT` (the first port),
 * `<NAME>_SERVICE_PORT_<PORT NAME>` for named ports, and Docker's link variables
 * `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>` with `_PROTO`, `_PORT` and `_ADDR`.
 * The Services are those of the pod's namespace when spec.enableServiceLinks is not false,
 * and always the `kubernetes` Service of `default` (in-cluster clients read it).
 */
import type { Pod, Service } from '@tkube/api';
import { ContainerConfigError } from './errors.js';

/** The kubelet's cache of Services (an informer over every namespace). */
export interface ServiceLister {
  /** True once one full list was seen. */
  hasSynced(): boolean;
  servicesIn(namespace: string): Service[];
}

interface EnvVar {
  name: string;
  value: string;
}

/** kube's masterServices: injected into every pod from the default namespace. */
const MASTER_SERVICES = new Set(['kubernetes']);
const MASTER_NAMESPACE = 'default';

/** The variables of the Services a pod sees, by name; kube refuses to guess before the first list. */
export function serviceEnvOf(pod: Pod, lister: ServiceLister): Map<string, string> {
  if (!lister.hasSynced()) {
    throw new ContainerConfigError('services have not yet been read at least once, cannot construct envvars');
  }
  const namespace = pod.metadata?.namespace || MASTER_NAMESPACE;
  const links = pod.spec?.enableServiceLinks !== false;
  const byName = new Map<string, Service>();
  for (const service of lister.servicesIn(MASTER_NAMESPACE)) {
    const name = service.metadata?.name ?? '';
    if (MASTER_SERVICES.has(name) && hasClusterIp(service)) byName.set(name, service);
  }
  if (links) {
    // A same-named Service of the pod's own namespace wins over the master one, as in kube.
    for (const service of lister.servicesIn(namespace)) {
      if (hasClusterIp(service)) byName.set(service.metadata?.name ?? '', service);
    }
  }
  // Sorted by name so a container's environment does not change with the cache's order.
  const services = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  return new Map(serviceEnvVars(services).map((v) => [v.name, v.value]));
}

/** kube's envvars.FromServices, in its order. Services without a cluster IP or ports give nothing. */
export function serviceEnvVars(services: readonly Service[]): EnvVar[] {
  const result: EnvVar[] = [];
  for (const service of services) {
    const ports = service.spec?.ports ?? [];
    const first = ports[0];
    if (!hasClusterIp(service) || !first) continue;
    const clusterIp = service.spec?.clusterIP ?? '';
    const prefix = envName(service.metadata?.name ?? '');
    result.push({ name: `${prefix}_SERVICE_HOST`, value: clusterIp });
    result.push({ name: `${prefix}_SERVICE_PORT`, value: String(first.port) });
    for (const port of ports) {
      if (port.name) result.push({ name: `${prefix}_SERVICE_PORT_${envName(port.name)}`, value: String(port.port) });
    }
    ports.forEach((port, index) => {
      const protocol = (port.protocol || 'TCP').toLowerCase();
      const address = `${protocol}://${joinHostPort(clusterIp, port.port)}`;
      // Docker gives the first port the short name too.
      if (index === 0) result.push({ name: `${prefix}_PORT`, value: address });
      const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`;
      result.push(
        { name: portPrefix, value: address },
        { name: `${portPrefix}_PROTO`, value: protocol },
        { name: `${portPrefix}_PORT`, value: String(port.port) },
        { name: `${portPrefix}_ADDR`, value: clusterIp },
      );
    });
  }
  return result;
}

/** kube's makeEnvVariableName: upper case, '-' as '_'. */
export function envName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase();
}

function hasClusterIp(service: Service): boolean {
  const ip = service.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None';
}

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
