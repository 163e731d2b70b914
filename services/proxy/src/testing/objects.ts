/** Services and EndpointSlices for tests, as the apiserver and the endpoint controller write them. */
import type { EndpointSlice, Service, ServicePort } from '@tkube/api';

export function service(
  name: string,
  spec: { clusterIP?: string; type?: string; ports?: ServicePort[]; sessionAffinity?: string; timeoutSeconds?: number },
  namespace = 'default',
): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace },
    spec: {
      clusterIP: spec.clusterIP ?? '10.96.0.50',
      type: spec.type ?? 'ClusterIP',
      ports: spec.ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
      ...(spec.sessionAffinity ? { sessionAffinity: spec.sessionAffinity } : {}),
      ...(spec.timeoutSeconds !== undefined
        ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: spec.timeoutSeconds } } }
        : {}),
    },
  };
}

export interface SliceEndpoint {
  ip: string;
  ready?: boolean;
}

export function slice(
  serviceName: string,
  endpoints: (string | SliceEndpoint)[],
  ports: { name?: string; port: number; protocol?: string }[] = [{ name: 'http', port: 8080, protocol: 'TCP' }],
  options: { namespace?: string; name?: string; addressType?: string } = {},
): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: options.name ?? `${serviceName}-abcde`,
      namespace: options.namespace ?? 'default',
      labels: { 'kubernetes.io/service-name': serviceName },
    },
    addressType: options.addressType ?? 'IPv4',
    endpoints: endpoints.map((e) => {
      const { ip, ready } = typeof e === 'string' ? { ip: e, ready: true } : e;
      return { addresses: [ip], ...(ready === undefined ? {} : { conditions: { ready } }) };
    }),
    ports,
  };
}
