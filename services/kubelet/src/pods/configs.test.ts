import type { Pod } from '@tkube/api';
import { NamespaceMode, Protocol } from '@tkube/api/cri';
import { describe, expect, it } from 'vitest';
import { containerConfig, linuxResources } from './container-config.js';
import { defaultPullPolicy } from './image-puller.js';
import { PodDirs } from './pod-dirs.js';
import { sandboxConfig } from './sandbox-config.js';

const pod: Pod = {
  metadata: { name: 'web', namespace: 'ns1', uid: 'u1', labels: { app: 'web' } },
  spec: {
    containers: [
      { name: 'web', image: 'busybox:1.35', ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] },
    ],
  },
};

describe('linuxResources', () => {
  it('turns limits into quota over a 100 ms period, requests into shares, memory into bytes', () => {
    expect(
      linuxResources({ name: 'c', resources: { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '250m' } } }),
    ).toEqual({
      cpuPeriod: 100_000n,
      cpuQuota: 50_000n,
      cpuShares: 256n,
      memoryLimitInBytes: 67_108_864n,
    });
    expect(linuxResources({ name: 'c' })).toEqual({
      cpuPeriod: 0n,
      cpuQuota: 0n,
      cpuShares: 2n,
      memoryLimitInBytes: 0n,
    });
    expect(linuxResources({ name: 'c', resources: { limits: { cpu: '2' } } }).cpuShares).toBe(2048n);
  });
});

describe('containerConfig', () => {
  it('carries the labels that map it back, the restart count and the log path', () => {
    const config = containerConfig({
      pod,
      container: { name: 'web', image: 'busybox:1.35', command: ['echo'], args: ['$(GREETING)'] },
      type: 'app',
      imageRef: 'sha256:abc',
      restartCount: 3,
      hash: 'h1',
      env: [{ name: 'GREETING', value: 'hi' }],
      mounts: [],
    });
    expect(config.metadata).toEqual({ name: 'web', attempt: 3 });
    expect(config.args).toEqual(['hi']);
    expect(config.logPath).toBe('web/3.log');
    expect(config.labels).toMatchObject({
      'io.kubernetes.pod.uid': 'u1',
      'io.kubernetes.pod.name': 'web',
      'io.kubernetes.pod.namespace': 'ns1',
      'io.kubernetes.container.name': 'web',
    });
    expect(config.annotations).toMatchObject({
      'io.kubernetes.container.hash': 'h1',
      'io.kubernetes.container.restartCount': '3',
    });
    expect(config.linux?.securityContext?.namespaceOptions).toMatchObject({
      network: NamespaceMode.POD,
      ipc: NamespaceMode.POD,
    });
  });
});

describe('sandboxConfig', () => {
  it('names the pod, its log directory, hostname, DNS and host ports', () => {
    const config = sandboxConfig(pod, 2, new PodDirs('/var/lib/kubelet'), {
      servers: ['10.0.0.2'],
      searches: ['corp'],
      options: [],
    });
    expect(sandboxConfig(pod, 0, new PodDirs('/k'), undefined).dnsConfig).toBeUndefined();
    expect(config.metadata).toEqual({ name: 'web', uid: 'u1', namespace: 'ns1', attempt: 2 });
    expect(config.hostname).toBe('web');
    expect(config.logDirectory).toBe('/var/lib/kubelet/pods/ns1_web_u1');
    expect(config.dnsConfig).toEqual({ servers: ['10.0.0.2'], searches: ['corp'], options: [] });
    expect(config.portMappings).toEqual([{ protocol: Protocol.TCP, containerPort: 80, hostPort: 8080, hostIp: '' }]);
    expect(config.labels).toMatchObject({ app: 'web', 'io.kubernetes.pod.uid': 'u1' });
  });
});

describe('defaultPullPolicy', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.35', 'IfNotPresent'],
    ['localhost:5000/busybox', 'Always'],
    ['busybox@sha256:abc', 'IfNotPresent'],
  ])('%s -> %s', (image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
  });
});
