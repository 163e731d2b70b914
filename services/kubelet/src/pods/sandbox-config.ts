/** The CRI PodSandboxConfig of a pod (kube's generatePodSandboxConfig). */
import type { Pod } from '@tkube/api';
import {
  type DNSConfig,
  NamespaceMode,
  type PodSandboxConfig,
  Protocol,
  PodSandboxConfig as SandboxConfigMessage,
} from '@tkube/api/cri';
import { sandboxLabels } from '../runtime/labels.js';
import type { PodDirs } from './pod-dirs.js';

/** `dnsConfig` comes from the DnsConfigurer (undefined: the runtime keeps its own resolver file). */
export function sandboxConfig(
  pod: Pod,
  attempt: number,
  dirs: PodDirs,
  dnsConfig: DNSConfig | undefined,
): PodSandboxConfig {
  const meta = pod.metadata ?? {};
  const spec = pod.spec ?? { containers: [] };
  const portMappings = spec.containers.flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({
        protocol: p.protocol === 'UDP' ? Protocol.UDP : p.protocol === 'SCTP' ? Protocol.SCTP : Protocol.TCP,
        containerPort: p.containerPort,
        hostPort: p.hostPort ?? 0,
        hostIp: p.hostIP ?? '',
      })),
  );
  return SandboxConfigMessage.fromPartial({
    metadata: { name: meta.name ?? '', uid: meta.uid ?? '', namespace: meta.namespace ?? 'default', attempt },
    hostname: (spec.hostname ?? meta.name ?? '').slice(0, 63),
    logDirectory: dirs.logDirOf(pod),
    ...(dnsConfig ? { dnsConfig } : {}),
    portMappings,
    labels: sandboxLabels(pod),
    annotations: meta.annotations ?? {},
    linux: {
      cgroupParent: '',
      securityContext: {
        namespaceOptions: {
          network: spec.hostNetwork ? NamespaceMode.NODE : NamespaceMode.POD,
          pid: spec.hostPID ? NamespaceMode.NODE : NamespaceMode.CONTAINER,
          ipc: spec.hostIPC ? NamespaceMode.NODE : NamespaceMode.POD,
        },
      },
    },
  });
}
