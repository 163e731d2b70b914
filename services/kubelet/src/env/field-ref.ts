/**
 * The values of downward-API field references (kube's podFieldSelectorRuntimeValue and
 * fieldpath.ExtractFieldPathAsString): metadata, spec.nodeName, spec.serviceAccountName,
 * status.podIP(s), status.hostIP(s).
 */
import type { Pod } from '@tkube/api';
import { ContainerConfigError } from './errors.js';

export interface PodRuntimeFacts {
  podIps: string[];
  hostIps: string[];
}

export function fieldRefValue(pod: Pod, fieldPath: string, facts: PodRuntimeFacts): string {
  const meta = pod.metadata ?? {};
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels ?? {});
    case 'metadata.annotations':
      return formatMap(meta.annotations ?? {});
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP':
      return facts.podIps[0] ?? '';
    case 'status.podIPs':
      return facts.podIps.join(',');
    case 'status.hostIP':
      return facts.hostIps[0] ?? '';
    case 'status.hostIPs':
      return facts.hostIps.join(',');
  }
  const subscript = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
  if (subscript) {
    const map = (subscript[1] === 'labels' ? meta.labels : meta.annotations) ?? {};
    return map[subscript[2] ?? ''] ?? '';
  }
  throw new ContainerConfigError(`unsupported fieldRef fieldPath: ${fieldPath}`);
}

/** kube's FormatMap: sorted `key="value"` lines. */
function formatMap(map: Record<string, string>): string {
  return Object.keys(map)
    .sort()
    .map((key) => `${key}=${JSON.stringify(map[key])}`)
    .join('\n');
}
