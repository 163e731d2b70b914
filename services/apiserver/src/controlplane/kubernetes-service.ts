/**
 * The `kubernetes` Service in `default`, as kube-apiserver's master service controller
 * makes it: no selector (its endpoints are the apiservers, written by them), the first
 * address of the service range, port 443 named https to the apiserver's secure port.
 */
import type { Service, ServicePort } from '@tkube/api';
import { jsonEqual } from '../registry/object-meta.js';
import { HTTPS_PORT_NAME, KUBERNETES_SERVICE_NAME, KUBERNETES_SERVICE_NAMESPACE } from './apiserver-endpoints.js';

export const KUBERNETES_SERVICE_PORT = 443;
export const KUBERNETES_SERVICE_LABELS = { component: 'apiserver', provider: 'kubernetes' };

export function kubernetesServicePorts(targetPort: number): ServicePort[] {
  return [{ name: HTTPS_PORT_NAME, port: KUBERNETES_SERVICE_PORT, protocol: 'TCP', targetPort }];
}

export function desiredKubernetesService(clusterIP: string, targetPort: number): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: KUBERNETES_SERVICE_NAME,
      namespace: KUBERNETES_SERVICE_NAMESPACE,
      labels: { ...KUBERNETES_SERVICE_LABELS },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      ports: kubernetesServicePorts(targetPort),
      sessionAffinity: 'None',
    },
  };
}

/**
 * The Service as it should be now, or undefined when it already is. Its type and ports are
 * put back as kube does; the target port stays while some listed apiserver serves on it
 * (apiservers of one cluster may use different ports here), else becomes this one's.
 */
export function kubernetesServiceUpdate(
  existing: Service,
  ownPort: number,
  listedPorts: readonly number[],
): Service | undefined {
  const current = existing.spec?.ports?.[0]?.targetPort;
  const targetPort = typeof current === 'number' && listedPorts.includes(current) ? current : ownPort;
  const ports = kubernetesServicePorts(targetPort);
  if (existing.spec?.type === 'ClusterIP' && jsonEqual(existing.spec.ports, ports)) return undefined;
  return { ...existing, spec: { ...existing.spec, type: 'ClusterIP', ports } };
}
