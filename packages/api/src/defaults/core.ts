/**
 * core/v1 defaults besides pods (pkg/apis/core/v1/defaults.go) and the normalizations
 * kube-apiserver applies before validation: a Namespace's finalizer and name label, a
 * Secret's stringData folded into data, a Service's single-stack IP family.
 */
import type { Endpoints, Namespace, Node, Secret, Service } from '../types.js';

type ServiceSpec = NonNullable<Service['spec']>;

/** The well-known label kube-apiserver puts on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800;

export function defaultNamespace(namespace: Namespace): void {
  const name = namespace.metadata?.name;
  if (name) {
    const metadata = (namespace.metadata ??= {});
    metadata.labels = { ...metadata.labels, [NAMESPACE_NAME_LABEL]: name };
  }
  const spec = (namespace.spec ??= {});
  if (!spec.finalizers || spec.finalizers.length === 0) spec.finalizers = ['kubernetes'];
  (namespace.status ??= {}).phase ||= 'Active';
}

/** stringData is a write-only convenience: kube-apiserver merges it into data (base64) and drops it. */
export function defaultSecret(secret: Secret): void {
  secret.type ||= 'Opaque';
  if (secret.stringData) {
    const data = (secret.data ??= {});
    for (const [key, value] of Object.entries(secret.stringData))
      data[key] = Buffer.from(String(value), 'utf8').toString('base64');
    delete secret.stringData;
  }
}

function isExternallyAccessible(spec: ServiceSpec): boolean {
  return (
    spec.type === 'LoadBalancer' ||
    spec.type === 'NodePort' ||
    (spec.type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0)
  );
}

/**
 * tkube's cluster network is single-stack IPv4, so a service that has or will get a
 * cluster IP is SingleStack in the family of its address. Allocation itself is the registry's.
 */
function defaultIPFamilies(spec: ServiceSpec): void {
  if (spec.type === 'ExternalName') return;
  if (spec.clusterIP && (!spec.clusterIPs || spec.clusterIPs.length === 0)) spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!spec.ipFamilies || spec.ipFamilies.length === 0) {
    const assigned = (spec.clusterIPs ?? []).filter((ip) => ip !== 'None');
    spec.ipFamilies = assigned.length > 0 ? assigned.map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4')) : ['IPv4'];
  }
}

export function defaultService(service: Service): void {
  const spec = (service.spec ??= {});
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
  for (const port of spec.ports ?? []) {
    port.protocol ||= 'TCP';
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') {
      port.targetPort = port.port;
    }
  }
  if (isExternallyAccessible(spec)) spec.externalTrafficPolicy ||= 'Cluster';
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP')
    spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  defaultIPFamilies(spec);
  const status = (service.status ??= {});
  status.loadBalancer ??= {};
}

export function defaultEndpoints(endpoints: Endpoints): void {
  for (const subset of endpoints.subsets ?? []) for (const port of subset.ports ?? []) port.protocol ||= 'TCP';
}

export function defaultNode(node: Node): void {
  const status = node.status;
  if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}
